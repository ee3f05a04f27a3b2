"""The national portal's API, driven as the portal drives it (the published guide word for
word): list the proposed units with the Bearer token, fetch every unit's answers, and check
each payload against the contract; then every error the contract names."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from audit.models import AuditEntry
from evaluations import services as lke
from pokja.models import AuditFinding, Unit, UnitRole
from portalrb import services
from portalrb.models import ApiToken, Category, FetchLog, ProposedUnit, token_digest
from surveys.loader import load_bundled_instruments
from surveys.services import official_figure_set
from tests.factories import UnitFactory, UserFactory, give_role, make_programme

pytestmark = pytest.mark.django_db

BASE = "/api/portalrb/"
MASTER = Path("/work/shared/reference/lke-2026-master.json")
ANSWER_KEYS = {
    "soal_id",
    "jawaban_unit",
    "jawaban_tpi",
    "catatan_unit",
    "bukti_dukung_unit",
    "catatan_tpi",
}
ERROR_KEYS = {"error", "code", "message"}


def _master_ids() -> list[int]:
    """The question ids of the official master list (the bundled framework's numbers where
    the reference file is not on this machine)."""
    if not MASTER.exists():
        return list(range(1, 128))
    ids: list[int] = []

    def walk(nodes):
        for node in nodes:
            ids.extend(soal["id"] for soal in node.get("soals", []))
            walk(node.get("children", []))

    walk(json.loads(MASTER.read_text())["data"])
    return sorted(ids)


class Portal:
    """A client that follows the published guide: GET, JSON, `Authorization: Bearer`."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.token = token

    def get(self, path: str):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return self.client.get(BASE + path, headers=headers)


@pytest.fixture
def agency_world():
    load_bundled_instruments()  # q125 and q127 are survey-fed once the instruments exist
    agency = UnitFactory(code="POLDA-ALPHA", name="Polda Alpha", kind=Unit.Kind.POLDA)
    first = UnitFactory(code="POLRES-SATU", name="Polres Satu", parent=agency)
    second = UnitFactory(code="POLRES-DUA", name="Polres Dua", parent=agency)
    other_agency = UnitFactory(code="POLDA-BETA", name="Polda Beta", kind=Unit.Kind.POLDA)
    foreign = UnitFactory(code="POLRES-TIGA", name="Polres Tiga", parent=other_agency)
    admin = UserFactory(username="agency-admin")
    UnitRole.objects.create(user=admin, unit=agency, kind=UnitRole.Kind.AGENCY)
    p1 = make_programme(unit=first, year=2026)
    p2 = make_programme(unit=second, year=2026, holds_wbk=True)
    p3 = make_programme(unit=foreign, year=2026)
    coordinator = UserFactory(username="coord-satu")
    give_role(coordinator, p1, "koordinator")
    lke.answer_set_unit(actor=coordinator, programme=p1, number=1, value="Ya", note="SK tim")
    lke.answer_set_tpi(actor=None, programme=p1, number=1, value="Tidak", note="SK belum")
    lke.answer_set_unit(actor=coordinator, programme=p1, number=2, value="B")
    lke.answer_set_unit(actor=coordinator, programme=p1, number=88, value=12)
    lke.answer_evidence_add(
        actor=coordinator,
        programme=p1,
        number=1,
        url="https://example.test/sk-tim.pdf",
        title="SK Tim ZI",
    )
    official_figure_set(
        actor=None, programme=p1, question=125, index=Decimal("3.61"), source="TPN/BPS"
    )
    proposal = services.proposal_get_or_create(agency=agency, year=2026, user=admin)
    services.proposed_unit_set(
        proposal=proposal,
        programme=p1,
        user=admin,
        category=Category.WBK,
        exception_note="Diusulkan: tindak lanjut sedang dilengkapi.",
    )
    services.proposed_unit_set(
        proposal=proposal,
        programme=p2,
        user=admin,
        category=Category.WBBM,
        exception_note="Diusulkan: predikat WBK 2024.",
    )
    services.proposal_confirm(proposal=proposal, user=admin)
    _row, raw = services.token_create(agency=agency, name="PortalRB 2026", user=admin)
    other_proposal = services.proposal_get_or_create(agency=other_agency, year=2026, user=None)
    services.proposed_unit_set(
        proposal=other_proposal, programme=p3, user=None, category="WBK", exception_note="x"
    )
    services.proposal_confirm(proposal=other_proposal, user=None)
    _row, other_raw = services.token_create(agency=other_agency, name="Beta", user=None)
    return {
        "agency": agency,
        "admin": admin,
        "coordinator": coordinator,
        "programmes": (p1, p2, p3),
        "proposal": proposal,
        "token": raw,
        "other_token": other_raw,
    }


def _assert_error(response, status: int, code: str | None = None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["error"] is True
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    if code:
        assert body["code"] == code


def _assert_unit_list(body: dict):
    assert set(body) == {"tahun", "units"}
    assert isinstance(body["tahun"], int)
    for unit in body["units"]:
        assert set(unit) == {"id", "nama", "kategori", "afirmasi"}
        assert isinstance(unit["id"], str) and unit["id"]
        assert isinstance(unit["nama"], str) and unit["nama"]
        assert unit["kategori"] in ("WBK", "WBK-AFIRMASI", "WBBM")
        assert isinstance(unit["afirmasi"], bool)
        assert unit["afirmasi"] == (unit["kategori"] == "WBK-AFIRMASI")


def _assert_answers(body: dict, unit_id: str, year: int):
    assert set(body) == {"unit_id", "nama_unit", "tahun", "answers"}
    assert body["unit_id"] == unit_id
    assert isinstance(body["nama_unit"], str) and body["nama_unit"]
    assert body["tahun"] == year
    ids = [a["soal_id"] for a in body["answers"]]
    assert ids == _master_ids()
    for answer in body["answers"]:
        assert set(answer) == ANSWER_KEYS
        assert isinstance(answer["soal_id"], int) and not isinstance(answer["soal_id"], bool)
        for key in ("jawaban_unit", "jawaban_tpi"):
            value = answer[key]
            assert value is None or (
                isinstance(value, (str, int, float)) and not isinstance(value, bool)
            ), (answer["soal_id"], key, value)
        for key in ("catatan_unit", "catatan_tpi", "bukti_dukung_unit"):
            assert answer[key] is None or (isinstance(answer[key], str) and answer[key])


def test_the_portal_lists_the_units_and_fetches_each_units_answers(agency_world):
    portal = Portal(agency_world["token"])
    wbk = portal.get("pengusulan/unit-wbk")
    wbbm = portal.get("pengusulan/unit-wbbm")
    assert wbk.status_code == 200 and wbbm.status_code == 200
    assert wbk["Content-Type"] == "application/json"
    for response in (wbk, wbbm):
        _assert_unit_list(response.json())
    assert wbk.json() == {
        "tahun": 2026,
        "units": [
            {"id": "POLRES-SATU", "nama": "Polres Satu", "kategori": "WBK", "afirmasi": False}
        ],
    }
    assert [u["id"] for u in wbbm.json()["units"]] == ["POLRES-DUA"]
    bodies = {}
    for unit in wbk.json()["units"] + wbbm.json()["units"]:
        response = portal.get(f"lke/jawaban-unit/{unit['id']}")
        assert response.status_code == 200, response.content
        _assert_answers(response.json(), unit["id"], 2026)
        bodies[unit["id"]] = {a["soal_id"]: a for a in response.json()["answers"]}
    satu = bodies["POLRES-SATU"]
    # Option keys as text, counts as numbers, survey indices as the figure in force.
    assert satu[1]["jawaban_unit"] == "Ya" and satu[1]["jawaban_tpi"] == "Tidak"
    assert satu[1]["catatan_unit"] == "SK tim" and satu[1]["catatan_tpi"] == "SK belum"
    assert satu[2]["jawaban_unit"] == "B" and satu[2]["jawaban_tpi"] is None
    assert satu[88]["jawaban_unit"] == 12
    assert satu[125]["jawaban_unit"] == 3.61 and satu[125]["jawaban_tpi"] == 3.61
    assert satu[127]["jawaban_unit"] is None
    assert satu[3]["jawaban_unit"] is None and satu[3]["bukti_dukung_unit"] is None
    # The evidence link opens the question's evidence without signing in.
    link = satu[1]["bukti_dukung_unit"]
    assert link.startswith("http")
    page = Client().get(link)
    assert page.status_code == 200
    assert "SK Tim ZI" in page.content.decode()
    assert "https://example.test/sk-tim.pdf" in page.content.decode()
    # Every request was logged, the token never.
    log = list(FetchLog.objects.filter(agency=agency_world["agency"]).order_by("pk"))
    assert [(f.endpoint, f.unit_id, f.status) for f in log] == [
        ("pengusulan/unit-wbk", "", 200),
        ("pengusulan/unit-wbbm", "", 200),
        ("lke/jawaban-unit", "POLRES-SATU", 200),
        ("lke/jawaban-unit", "POLRES-DUA", 200),
    ]
    assert ApiToken.objects.get(agency=agency_world["agency"]).last_used_at is not None


def test_a_tampered_or_expired_evidence_link_is_refused(agency_world):
    portal = Portal(agency_world["token"])
    answers = portal.get("lke/jawaban-unit/POLRES-SATU").json()["answers"]
    link = answers[0]["bukti_dukung_unit"]
    assert Client().get(link[:-3] + "abc/").status_code == 404
    with override_settings(ZI_PORTALRB_LINK_DAYS=0):
        assert Client().get(link).status_code == 404


def test_serving_one_units_answers_takes_a_constant_number_of_queries(
    agency_world, django_assert_num_queries
):
    portal = Portal(agency_world["token"])
    portal.get("lke/jawaban-unit/POLRES-SATU")  # warm: this window's rate counter exists
    # token, unit, agency tree, proposal, proposed unit, then the fetch log and the token's
    # last use in one transaction (a savepoint inside the test's); and the rate counter where
    # there is no Redis to count in
    expected = 9 if settings.REDIS_URL else 10
    # a unit with answers, notes and evidence, and one with none, take the same queries
    for unit_id in ("POLRES-SATU", "POLRES-DUA"):
        with django_assert_num_queries(expected):
            response = portal.get(f"lke/jawaban-unit/{unit_id}")
        assert response.status_code == 200
        assert len(response.json()["answers"]) == 127


def test_no_token_or_a_wrong_one_is_401(agency_world):
    _assert_error(Portal(None).get("pengusulan/unit-wbk"), 401, "UNAUTHORIZED")
    _assert_error(Portal("zirb_not-a-token").get("pengusulan/unit-wbk"), 401, "UNAUTHORIZED")
    response = Client().get(
        BASE + "pengusulan/unit-wbk", headers={"Authorization": agency_world["token"]}
    )
    _assert_error(response, 401, "UNAUTHORIZED")
    failed = FetchLog.objects.filter(status=401)
    assert failed.count() == 3 and not failed.exclude(agency=None).exists()


def test_another_agencys_token_is_403_on_this_agencys_units(agency_world):
    portal = Portal(agency_world["other_token"])
    _assert_error(portal.get("lke/jawaban-unit/POLRES-SATU"), 403, "FORBIDDEN")
    # and it lists only its own agency's units
    assert [u["id"] for u in portal.get("pengusulan/unit-wbk").json()["units"]] == ["POLRES-TIGA"]


def test_unknown_unit_is_404_and_a_malformed_id_422(agency_world):
    portal = Portal(agency_world["token"])
    _assert_error(portal.get("lke/jawaban-unit/POLRES-TIDAK-ADA"), 404, "DATA_NOT_FOUND")
    _assert_error(portal.get("lke/jawaban-unit/polres%20satu"), 422, "INVALID_REQUEST")
    # the agency itself is not a proposed unit
    _assert_error(portal.get("lke/jawaban-unit/POLDA-ALPHA"), 403, "FORBIDDEN")


def test_a_unit_of_the_agency_not_proposed_is_404(agency_world):
    UnitFactory(code="POLRES-EMPAT", name="Polres Empat", parent=agency_world["agency"])
    _assert_error(
        Portal(agency_world["token"]).get("lke/jawaban-unit/POLRES-EMPAT"), 404, "DATA_NOT_FOUND"
    )


@override_settings(ZI_PORTALRB_RATE_LIMIT=3)
def test_over_the_limit_is_429_per_token(agency_world):
    portal = Portal(agency_world["token"])
    for _ in range(3):
        assert portal.get("pengusulan/unit-wbk").status_code == 200
    response = portal.get("pengusulan/unit-wbk")
    _assert_error(response, 429, "RATE_LIMITED")
    assert response["Retry-After"] == "60"
    # another token is counted on its own
    assert Portal(agency_world["other_token"]).get("pengusulan/unit-wbk").status_code == 200


def test_the_confirmed_snapshot_does_not_change_after_an_edit(agency_world):
    portal = Portal(agency_world["token"])
    before = portal.get("lke/jawaban-unit/POLRES-SATU").json()
    p1 = agency_world["programmes"][0]
    lke.answer_set_unit(
        actor=agency_world["coordinator"], programme=p1, number=1, value="Tidak", note="diubah"
    )
    lke.answer_set_unit(actor=agency_world["coordinator"], programme=p1, number=3, value="Ya")
    Unit.objects.filter(pk=p1.unit_id).update(name="Polres Satu Baru")
    after = portal.get("lke/jawaban-unit/POLRES-SATU").json()
    for body in (before, after):
        for answer in body["answers"]:
            answer.pop("bukti_dukung_unit")  # signed at each fetch
    assert after == before
    assert portal.get("pengusulan/unit-wbk").json()["units"][0]["nama"] == "Polres Satu"
    # Confirming again serves the edits.
    services.proposal_confirm(proposal=agency_world["proposal"], user=agency_world["admin"])
    again = {a["soal_id"]: a for a in portal.get("lke/jawaban-unit/POLRES-SATU").json()["answers"]}
    assert again[1]["jawaban_unit"] == "Tidak" and again[1]["catatan_unit"] == "diubah"
    assert again[3]["jawaban_unit"] == "Ya"
    assert portal.get("pengusulan/unit-wbk").json()["units"][0]["nama"] == "Polres Satu Baru"


def test_a_withdrawn_unit_is_served_until_the_agency_confirms_again(agency_world):
    portal = Portal(agency_world["token"])
    p2 = agency_world["programmes"][1]
    services.proposed_unit_set(
        proposal=agency_world["proposal"], programme=p2, user=agency_world["admin"], category=""
    )
    assert [u["id"] for u in portal.get("pengusulan/unit-wbbm").json()["units"]] == ["POLRES-DUA"]
    services.proposal_confirm(proposal=agency_world["proposal"], user=agency_world["admin"])
    assert portal.get("pengusulan/unit-wbbm").json()["units"] == []
    _assert_error(portal.get("lke/jawaban-unit/POLRES-DUA"), 404, "DATA_NOT_FOUND")


def test_a_revoked_token_is_refused(agency_world):
    portal = Portal(agency_world["token"])
    assert portal.get("pengusulan/unit-wbk").status_code == 200
    token = ApiToken.objects.get(digest=token_digest(agency_world["token"]))
    services.token_revoke(token=token, user=agency_world["admin"])
    _assert_error(portal.get("pengusulan/unit-wbk"), 401, "UNAUTHORIZED")


def test_tokens_are_stored_hashed_and_never_logged(agency_world, caplog):
    raw = agency_world["token"]
    token = ApiToken.objects.get(agency=agency_world["agency"])
    assert token.digest == token_digest(raw) and raw not in token.digest
    assert not ApiToken.objects.filter(prefix=raw).exists()
    Portal(raw).get("pengusulan/unit-wbk")
    Portal(raw + "x").get("pengusulan/unit-wbk")
    assert raw not in caplog.text
    for entry in AuditEntry.objects.filter(object_type="portalrb.apitoken"):
        assert raw not in json.dumps(entry.changes)


def test_only_get_is_allowed(agency_world):
    response = Client().post(
        BASE + "pengusulan/unit-wbk",
        headers={"Authorization": f"Bearer {agency_world['token']}"},
    )
    _assert_error(response, 405, "METHOD_NOT_ALLOWED")


@override_settings(ZI_PORTALRB_REQUIRE_HTTPS=True, SECURE_SSL_REDIRECT=True)
def test_https_is_required_in_production_and_the_proxy_header_is_honoured(agency_world):
    headers = {"Authorization": f"Bearer {agency_world['token']}"}
    _assert_error(
        Client().get(BASE + "pengusulan/unit-wbk", headers=headers), 403, "HTTPS_REQUIRED"
    )
    assert (
        Client().get(BASE + "pengusulan/unit-wbk", headers=headers, secure=True).status_code == 200
    )
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        response = Client().get(
            BASE + "pengusulan/unit-wbk", headers={**headers, "X-Forwarded-Proto": "https"}
        )
    assert response.status_code == 200


def test_nothing_is_served_before_the_first_confirmation():
    agency = UnitFactory(code="POLDA-GAMMA", kind=Unit.Kind.POLDA)
    _row, raw = services.token_create(agency=agency, name="Gamma", user=None)
    _assert_error(Portal(raw).get("pengusulan/unit-wbk"), 404, "DATA_NOT_FOUND")


def test_the_openapi_description_is_served_at_the_base_path():
    response = Client().get(BASE)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("openapi: 3")
    for path in ("/pengusulan/unit-wbk:", "/pengusulan/unit-wbbm:", "/lke/jawaban-unit/{unit_id}:"):
        assert path in text
    assert reverse("portalrb_openapi") == BASE


def test_the_confirmation_freezes_the_checks_and_is_audited(agency_world):
    unit = ProposedUnit.objects.get(programme=agency_world["programmes"][0])
    assert unit.confirmed_checks["tlhp"] is True
    assert unit.confirmed_checks["audit_opinion"] is None
    assert (
        AuditEntry.objects.filter(
            object_type="portalrb.proposedunit", object_id=str(unit.pk)
        ).count()
        >= 2
    )


def test_tlhp_comes_from_the_findings_register(agency_world):
    import datetime

    from portalrb.selectors import proposal_candidates

    p1 = agency_world["programmes"][0]
    AuditFinding.objects.create(
        programme=p1,
        source=AuditFinding.Source.APIP,
        report_date=datetime.date(2026, 1, 5),
        title="Temuan",
        recommendation="Perbaiki",
    )
    rows = proposal_candidates(agency_world["agency"], 2026, agency_world["proposal"])
    row = next(r for r in rows if r.programme.pk == p1.pk)
    tlhp = next(p for p in row.prerequisites if p.code == "tlhp")
    assert tlhp.met is False and row.flagged
