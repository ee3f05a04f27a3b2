"""The portal's listing of proposed units: a fixed number of queries whatever their number,
and none of the snapshots read (each holds a unit's 127 answers)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pokja.models import Programme, Unit
from portalrb import services
from portalrb.models import Category, Proposal, ProposedUnit
from tests.factories import framework_for_tests

pytestmark = pytest.mark.django_db

BASE = "/api/portalrb/"


def _agency_with(n: int, code: str) -> str:
    """An agency whose confirmed proposal has `n` units, each with a 127-answer snapshot;
    its token."""
    agency = Unit.objects.create(code=code, name=f"Polda {n}", kind=Unit.Kind.POLDA)
    units = Unit.objects.bulk_create(
        Unit(code=f"{code}-RES-{i}", name=f"Polres {code} {i:02d}", parent=agency) for i in range(n)
    )
    framework = framework_for_tests()
    programmes = Programme.objects.bulk_create(
        Programme(unit=unit, year=2026, framework=framework) for unit in units
    )
    proposal = Proposal.objects.create(agency=agency, year=2026)
    snapshot = [
        {
            "soal_id": q,
            "jawaban_unit": "A",
            "jawaban_tpi": None,
            "catatan_unit": "SNAPSHOT-NOTE",
            "catatan_tpi": None,
            "evidence": [],
        }
        for q in range(1, 128)
    ]
    ProposedUnit.objects.bulk_create(
        ProposedUnit(
            proposal=proposal,
            programme=programme,
            category=Category.WBK,
            confirmed_category=Category.WBK_AFIRMASI if i % 3 == 0 else Category.WBK,
            confirmed_name=programme.unit.name,
            snapshot=snapshot,
        )
        for i, programme in enumerate(programmes)
    )
    Proposal.objects.filter(pk=proposal.pk).update(confirmed_at=proposal.updated_at)
    return services.token_create(agency=agency, name="PortalRB", user=None)[1]


def _list(raw: str):
    return Client().get(BASE + "pengusulan/unit-wbk", headers={"Authorization": f"Bearer {raw}"})


def test_listing_3_or_30_units_takes_the_same_queries_and_reads_no_snapshot():
    small, large = _agency_with(3, "POLDA-KECIL"), _agency_with(30, "POLDA-BESAR")
    counts = {}
    for raw, n in ((small, 3), (large, 30)):
        _list(raw)  # warm: this window's rate counter exists
        with CaptureQueriesContext(connection) as queries:
            response = _list(raw)
        assert response.status_code == 200
        body = response.json()
        assert len(body["units"]) == n
        assert sum(u["afirmasi"] for u in body["units"]) == len(range(0, n, 3))
        counts[n] = len(queries)
        sql = " ".join(q["sql"] for q in queries.captured_queries)
        assert '"snapshot"' not in sql and "SNAPSHOT-NOTE" not in sql
    # token; rate counter (in the database without Redis); proposal; units; the fetch log
    # and the token's last use in one transaction (a savepoint and its release inside the
    # test's)
    expected = 7 if settings.REDIS_URL else 8
    assert counts == {3: expected, 30: expected}
