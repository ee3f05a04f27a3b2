"""The head of unit (pimpinan) reads everything the coordinator reads and changes nothing:
the settings, the audit trail and the surveys' set-up are shown to them without change
controls, and whatever they post there is refused and changes nothing."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from pokja.models import Programme
from surveys.loader import load_bundled_instruments
from surveys.models import CodeBatch, OfficialFigure
from surveys.services import official_figure_set
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


class _Controls(HTMLParser):
    """The forms that post to the page itself, and the enabled fields of the page."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.posting_forms = 0
        self.enabled_fields: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        posting = tag == "form" and (attrs.get("method") or "").lower() == "post"
        if posting and attrs.get("action") in (None, "", self.path):
            self.posting_forms += 1
        field = tag in ("input", "select", "textarea") and attrs.get("type") != "hidden"
        # The menu's language switch is no change to the programme.
        if field and "disabled" not in attrs and attrs.get("name") not in (None, "language"):
            self.enabled_fields.append(attrs["name"])


def controls(response, path: str) -> _Controls:
    parser = _Controls(path)
    parser.feed(response.content.decode())
    return parser


def programme_url(world, name: str, **extra) -> str:
    return reverse(
        name, kwargs={"unit_code": world.unit.code, "year": world.programme.year, **extra}
    )


def test_the_head_of_unit_reads_the_audit_trail_and_finds_it_in_the_menu(client, world):
    client.force_login(world.pimpinan)
    response = client.get(programme_url(world, "audit_trail"))
    assert response.status_code == 200
    shown = {row.entry.pk for row in response.context["rows"]}
    assert shown == set(
        AuditEntry.objects.filter(programme_id=world.programme.pk).values_list("pk", flat=True)
    )
    page = client.get(programme_url(world, "programme_detail")).content.decode()
    assert programme_url(world, "audit_trail") in page
    assert programme_url(world, "programme_settings") in page


def test_the_settings_are_shown_without_controls_and_a_post_changes_nothing(client, world):
    url = programme_url(world, "programme_settings")
    client.force_login(world.pimpinan)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"]["target"].value() == world.programme.target
    assert all(field.disabled for field in response.context["form"].fields.values())
    assert "pakta_file" not in response.context["form"].fields  # an upload button shows nothing
    seen = controls(response, url)
    assert seen.posting_forms == 0 and seen.enabled_fields == []
    assert 'data-testid="read-only"' in response.content.decode()
    assert "history" in response.context
    entries = AuditEntry.objects.count()
    posted = client.post(url, {"target": "WBBM", "holds_wbk": "on", "status": "closed"})
    assert posted.status_code == 403
    programme = Programme.objects.get(pk=world.programme.pk)
    assert (programme.target, programme.holds_wbk, programme.status) == (
        world.programme.target,
        world.programme.holds_wbk,
        world.programme.status,
    )
    assert AuditEntry.objects.count() == entries


def test_the_coordinator_keeps_the_controls(client, world):
    url = programme_url(world, "programme_settings")
    client.force_login(world.coordinator)
    seen = controls(client.get(url), url)
    assert seen.posting_forms == 1
    assert {"target", "status", "pencanangan_date"} <= set(seen.enabled_fields)


def test_the_survey_set_up_is_read_and_never_changed_by_the_head_of_unit(client, world):
    survey = make_survey(world.programme, mode="codes")
    client.force_login(world.pimpinan)
    detail = client.get(programme_url(world, "survey_detail", survey_id=survey.pk))
    for name in ("survey_edit", "survey_preview", "survey_codes", "survey_poster"):
        url = programme_url(world, name, survey_id=survey.pk)
        assert url in detail.content.decode(), name
        response = client.get(url)
        assert response.status_code == 200, name
        if name != "survey_preview":  # the respondents' form as they see it; it saves nothing
            assert controls(response, url).posting_forms == 0, name
    preview = programme_url(world, "survey_preview", survey_id=survey.pk)
    assert client.post(preview, {"q1": "4"}).status_code == 405
    import_url = programme_url(world, "survey_import", survey_id=survey.pk)
    assert import_url not in detail.content.decode()
    assert client.get(programme_url(world, "survey_qr", survey_id=survey.pk)).status_code == 200
    entries = AuditEntry.objects.count()
    edit = client.post(
        programme_url(world, "survey_edit", survey_id=survey.pk),
        {"title": "Diubah", "population": "5", "mode": "open", "status": "closed"},
    )
    codes = client.post(programme_url(world, "survey_codes", survey_id=survey.pk), {"count": "5"})
    assert (edit.status_code, codes.status_code) == (403, 403)
    survey.refresh_from_db()
    assert survey.title != "Diubah" and survey.mode == "codes"
    assert not CodeBatch.objects.filter(survey=survey).exists()
    assert AuditEntry.objects.count() == entries


def test_the_official_figure_is_read_and_neither_set_nor_removed(client, world):
    load_bundled_instruments()
    official_figure_set(
        actor=world.coordinator,
        programme=world.programme,
        question=125,
        index=Decimal("3.25"),
        source="BPS",
    )
    url = programme_url(world, "official_figure", question=125)
    client.force_login(world.pimpinan)
    response = client.get(url)
    assert response.status_code == 200
    assert controls(response, url).posting_forms == 0
    assert len(response.context["history"]) == 1
    listing = client.get(programme_url(world, "survey_list")).content.decode()
    assert url in listing  # the figure in force can be opened, not changed
    for data in ({"index": "1.00", "source": "Lain"}, {"remove": "1"}):
        assert client.post(url, data).status_code == 403
    figure = OfficialFigure.objects.get(programme=world.programme, question=125)
    assert (figure.index, figure.source) == (Decimal("3.25"), "BPS")
