"""The demo world's proposal: Polda Sumatera Utara proposing Polres Labuhanbatu for WBK,
confirmed, fetched with a token the operator's command prints."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from pokja.models import UnitRole

pytestmark = pytest.mark.django_db


def test_seed_demo_has_a_confirmed_proposal_the_portal_fetches(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # safe to run again
    assert UnitRole.objects.filter(
        user__username="agensi", unit__code="POLDA-SUMUT", kind=UnitRole.Kind.AGENCY
    ).exists()
    out = io.StringIO()
    call_command("portalrb_token", "--agency", "POLDA-SUMUT", "--name", "PortalRB", stdout=out)
    headers = {"Authorization": f"Bearer {out.getvalue().strip()}"}
    listing = Client().get("/api/portalrb/pengusulan/unit-wbk", headers=headers).json()
    assert listing["units"] == [
        {
            "id": "POLRES-LABUHANBATU",
            "nama": "Polres Labuhanbatu",
            "kategori": "WBK",
            "afirmasi": False,
        }
    ]
    answers = Client().get("/api/portalrb/lke/jawaban-unit/POLRES-LABUHANBATU", headers=headers)
    assert answers.status_code == 200
    body = answers.json()
    assert len(body["answers"]) == 127
    assert sum(1 for a in body["answers"] if a["jawaban_unit"] is not None) > 60
