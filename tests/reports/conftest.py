from __future__ import annotations

import io

import openpyxl
import pytest


@pytest.fixture
def demo(db):
    """The demo world of `seed_demo`: a programme with answers, TPI answers, evidence and
    survey figures."""
    from dashboards.demo import seed_demo

    return seed_demo()


def open_workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))
