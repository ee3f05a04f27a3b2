from __future__ import annotations

import io

import openpyxl


def open_workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))
