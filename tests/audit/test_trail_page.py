"""The audit trail page: who reads it, its filters, its pages, its cost; readable values."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from audit.presentation import describe_entries
from audit.services import audit_change, audit_record, audit_snapshot
from pokja.models import Evidence, ProgrammeRole
from pokja.services import PROGRAMME_FIELDS, programme_role_add, programme_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def trail_url(world, **query):
    url = reverse(
        "audit_trail", kwargs={"unit_code": world.unit.code, "year": world.programme.year}
    )
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def shown_entry_ids(response) -> list[int]:
    return [row.entry.pk for row in response.context["rows"]]


def _unit_wide_entry(world):
    return audit_record(
        actor=world.unit_admin,
        action="update",
        obj=world.anggota1,
        unit_id=world.unit.pk,
        note="Password reset e-mail sent",
    )


def test_the_coordinator_reads_the_programme_trail_and_nothing_of_other_programmes(client, world):
    own = programme_update(actor=world.coordinator, programme=world.programme, target="WBK")
    mine = AuditEntry.objects.filter(programme_id=world.programme.pk)
    theirs = AuditEntry.objects.filter(programme_id=world.other_programme.pk)
    assert mine.exists() and theirs.exists()
    unit_wide = _unit_wide_entry(world)
    client.force_login(world.coordinator)
    response = client.get(trail_url(world))
    assert response.status_code == 200
    shown = set(shown_entry_ids(response))
    assert shown == set(mine.values_list("pk", flat=True))
    assert not shown & set(theirs.values_list("pk", flat=True))
    assert unit_wide.pk not in shown  # people's accounts are the administrators' business
    assert own is not None


def test_unit_administrators_also_read_the_unit_wide_entries(client, world):
    unit_wide = _unit_wide_entry(world)
    client.force_login(world.unit_admin)
    response = client.get(trail_url(world))
    assert unit_wide.pk in shown_entry_ids(response)
    # The note is shown as a sentence, not as a code.
    assert "Password reset e-mail sent" in response.content.decode()


def _some_entries(world):
    """Three kinds of change by two people on two days."""
    p1 = world.pokjas[1]
    role_entry_user = UserFactory(username="baru")
    programme_role_add(
        actor=world.unit_admin, programme=world.programme, user=role_entry_user, kind="tpi"
    )
    programme_update(
        actor=world.coordinator, programme=world.programme, target="WBK", holds_wbk=True
    )
    audit_record(
        actor=world.ketua1,
        action="create",
        object_type="pokja.evidence",
        object_id=999,
        object_repr="Notulen rapat Pokja 1",
        changes={"title": [None, "Notulen rapat"], "pokja": [None, p1.pk]},
        programme_id=world.programme.pk,
        unit_id=world.unit.pk,
    )
    return AuditEntry.objects.filter(programme_id=world.programme.pk)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "ketua1"}, lambda e: e.actor_username == "ketua1"),
        ({"object_type": "pokja.programmerole"}, lambda e: e.object_type == "pokja.programmerole"),
        ({"action": "update"}, lambda e: e.action == "update"),
        ({"text": "notulen"}, lambda e: "Notulen" in e.object_repr),
        # Text inside the recorded values is found too.
        ({"text": "holds_wbk"}, lambda e: "holds_wbk" in e.changes),
    ],
)
def test_each_filter_narrows_the_trail(client, world, query, expected):
    entries = list(_some_entries(world))
    client.force_login(world.coordinator)
    response = client.get(trail_url(world, **query))
    assert response.status_code == 200
    wanted = {e.pk for e in entries if expected(e)}
    assert wanted, "the example data must contain a match"
    assert set(shown_entry_ids(response)) == wanted
    assert len(wanted) < len(entries), "the filter must leave something out"


def test_the_date_range_counts_whole_days_in_jakarta(client, world):
    _some_entries(world)
    today = timezone.localdate()
    client.force_login(world.coordinator)
    everything = client.get(
        trail_url(world, date_from=today.isoformat(), date_to=today.isoformat())
    )
    count = everything.context["page"].paginator.count
    assert count == AuditEntry.objects.filter(programme_id=world.programme.pk).count()
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    none = client.get(trail_url(world, date_from=yesterday, date_to=yesterday))
    assert none.context["page"].paginator.count == 0
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert client.get(trail_url(world, date_from=tomorrow)).context["page"].paginator.count == 0


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "not-a-date"},
        {"date_from": "2026-12-01", "date_to": "2026-11-01"},
        {"actor": "somebody-else"},
        {"action": "drop"},
        {"page": "9999"},
        {"page": "x"},
        {"text": "x" * 500},
    ],
)
def test_bad_filters_never_fail_the_page(client, world, query):
    _some_entries(world)
    client.force_login(world.coordinator)
    response = client.get(trail_url(world, **query))
    assert response.status_code == 200


def test_the_range_error_names_the_end_field(client, world):
    client.force_login(world.coordinator)
    response = client.get(trail_url(world, date_from="2026-12-01", date_to="2026-11-01"))
    assert "date_to" in response.context["form"].errors


def _many_entries(world, count: int):
    for i in range(count):
        audit_record(
            actor=world.coordinator,
            action="update",
            obj=world.pokjas[1 + i % 6],
            changes={"name": [f"Lama {i}", f"Baru {i}"], "programme": [None, world.programme.pk]},
            programme_id=world.programme.pk,
            unit_id=world.unit.pk,
        )


def test_pages_of_fifty_newest_first(client, world):
    _many_entries(world, 60)
    total = AuditEntry.objects.filter(programme_id=world.programme.pk).count()
    client.force_login(world.coordinator)
    first = client.get(trail_url(world))
    ids = shown_entry_ids(first)
    assert len(ids) == 50 and ids == sorted(ids, reverse=True)
    second = client.get(trail_url(world, page=2))
    assert len(shown_entry_ids(second)) == total - 50
    assert not set(ids) & set(shown_entry_ids(second))


def test_the_page_costs_the_same_whatever_the_size_of_the_trail(
    client, world, django_assert_num_queries
):
    _many_entries(world, 5)
    client.force_login(world.coordinator)
    url = trail_url(world, text="Baru")
    client.get(url)
    # session, user, programme, roles, ancestors, unit roles, who, their names, kinds, count,
    # page, the names of the programmes the values point to, of the people on the page,
    # navigation
    with django_assert_num_queries(14):
        small = client.get(url)
    _many_entries(world, 120)
    with django_assert_num_queries(14):
        large = client.get(url)
    assert len(small.context["rows"]) == 5 and len(large.context["rows"]) == 50


def test_values_are_shown_with_labels_choices_and_names(world):
    before = audit_snapshot(world.programme, PROGRAMME_FIELDS)
    world.programme.target = "WBBM"
    world.programme.holds_wbk = True
    world.programme.status = "proposed"
    world.programme.pencanangan_date = datetime.date(2018, 3, 21)
    entry = audit_change(
        actor=world.coordinator,
        obj=world.programme,
        before=before,
        after=audit_snapshot(world.programme, PROGRAMME_FIELDS),
        programme_id=world.programme.pk,
    )
    role = ProgrammeRole.objects.get(user=world.anggota1)
    role_entry = audit_change(
        actor=world.unit_admin,
        obj=role,
        before=audit_snapshot(role, ("user", "kind", "pokja")),
        after=None,
        programme_id=world.programme.pk,
    )
    rows = describe_entries([entry, role_entry])
    changes = {c.label: (c.old, c.new) for c in rows[0].changes}
    assert changes == {
        "Target predicate": ("WBK", "WBBM"),
        "Unit already holds WBK": ("no", "yes"),
        "Status": ("In progress", "Proposed to KemenPANRB"),
        "Date of the declaration (pencanangan)": ("—", "21 March 2018"),
    }
    role_changes = {c.label: c.old for c in rows[1].changes}
    assert role_changes == {
        "User": str(world.anggota1),
        "Role": "Pokja member",
        "Pokja": str(world.pokjas[1]),
    }
    assert rows[1].object_label == "Programme role" and rows[1].is_delete


def test_values_of_deleted_objects_and_unknown_fields_still_show(world):
    entry = audit_record(
        actor=None,
        action="update",
        object_type="pokja.evidence",
        object_id=12345,
        object_repr="gone",
        changes={"pokja": [987654, None], "retired_field": ["a", {"b": [1, 2]}]},
    )
    (row,) = describe_entries([entry])
    changes = {c.label: (c.old, c.new) for c in row.changes}
    assert changes["Pokja"] == ("#987654", "—")
    assert changes["retired_field"] == ("a", '{"b": [1, 2]}')
    assert Evidence.objects.count() == 0


def test_object_pages_show_their_history_readably(client, world):
    programme_update(actor=world.coordinator, programme=world.programme, status="proposed")
    client.force_login(world.coordinator)
    html = client.get(
        reverse(
            "programme_settings",
            kwargs={"unit_code": world.unit.code, "year": world.programme.year},
        )
    ).content.decode()
    assert "<dt>Status</dt>" in html
    assert "In progress" in html and "Proposed to KemenPANRB" in html


def test_the_trail_and_its_filter_name_people_as_other_pages_do(client, world):
    _some_entries(world)
    audit_record(
        actor=None,
        action="update",
        obj=world.programme,
        programme_id=world.programme.pk,
        note="Scores recomputed",
    )
    gone = UserFactory(username="pindah", full_name="Bripka Pindah Tugas")
    audit_record(actor=gone, action="update", obj=world.programme, programme_id=world.programme.pk)
    gone.delete()  # the entry keeps the username it was written with
    client.force_login(world.coordinator)
    response = client.get(trail_url(world))
    by_actor = {row.entry.actor_username: row.actor_name for row in response.context["rows"]}
    assert by_actor == {
        "ketua1": world.ketua1.display_name,
        world.coordinator.username: world.coordinator.display_name,
        world.unit_admin.username: world.unit_admin.display_name,
        "system": "System",
        "pindah": "pindah",
    }
    assert world.ketua1.display_name != "ketua1"
    html = response.content.decode()
    assert f'data-testid="audit-actor">{world.ketua1.display_name}</strong>' in html
    choices = dict(response.context["form"].fields["actor"].choices)
    assert choices["ketua1"] == world.ketua1.display_name
    assert choices["system"] == "System"
    labels = [label for value, label in response.context["form"].fields["actor"].choices if value]
    assert labels == sorted(labels, key=str.casefold)
    # Filtering still goes by the account.
    only = client.get(trail_url(world, actor="ketua1"))
    assert {row.actor_name for row in only.context["rows"]} == {world.ketua1.display_name}


def test_every_kind_of_object_in_the_filter_is_named_in_indonesian(client, world, settings):
    from django.apps import apps
    from django.utils import translation

    from surveys.services import survey_codes_generate
    from tests.surveys.factories import make_survey

    survey = make_survey(world.programme, mode="codes", actor=world.coordinator)
    survey_codes_generate(actor=world.coordinator, survey=survey, count=3)
    settings.LANGUAGE_CODE = "id"
    client.force_login(world.coordinator)
    response = client.get(trail_url(world), HTTP_ACCEPT_LANGUAGE="id")
    kinds = dict(response.context["form"].fields["object_type"].choices)
    assert kinds["surveys.codebatch"] == "Kumpulan kode"
    assert "Code batch" not in response.content.decode()
    # Every model of the project, whichever ends up in the trail, has a name in both languages.
    same_in_both = {"Pokja"}
    untranslated = []
    for model in apps.get_models():
        if model._meta.app_label not in {
            "audit",
            "pokja",
            "evaluations",
            "surveys",
            "dashboards",
            "notifications",
            "reports",
        }:
            continue
        with translation.override("id"):
            indonesian = str(model._meta.verbose_name)
        with translation.override("en"):
            english = str(model._meta.verbose_name)
        if indonesian == english and english not in same_in_both:
            untranslated.append(model._meta.label)
    assert not untranslated


def test_a_related_object_is_labelled_by_its_kind_when_its_field_has_no_label(world):
    from django.utils import translation

    from surveys.services import survey_codes_generate
    from tests.surveys.factories import make_survey

    survey = make_survey(world.programme, mode="codes", actor=world.coordinator)
    survey_codes_generate(actor=world.coordinator, survey=survey, count=2)
    entry = AuditEntry.objects.filter(object_type="surveys.codebatch").get()
    with translation.override("id"):
        (row,) = describe_entries([entry])
    labels = {change.label: change.new for change in row.changes}
    assert labels["Survei"] == str(survey)
    assert labels["Jumlah kode"] == "2"
