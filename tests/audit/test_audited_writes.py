"""The audited-write helpers every service writes through (audit.services): what each records,
in whose trail, and that a refused or empty change records nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import AuditEntry
from audit.services import (
    audited,
    audited_create,
    audited_delete,
    audited_save,
    audited_update,
    locked,
)
from pokja.models import ChangeAgent, Unit
from tests.factories import UnitFactory, UserFactory, make_programme

pytestmark = pytest.mark.django_db(transaction=True)

AGENT = ("name", "position")


def _must_have_position(agent: ChangeAgent) -> None:
    if not agent.position:
        raise ValidationError({"position": "Give the position."})


def _entries(obj):
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("id")
        .values_list("action", "changes", "programme_id", "unit_id", "note")
    )


def test_create_update_and_delete_are_recorded_in_the_programmes_trail():
    actor = UserFactory()
    programme = make_programme(actor=actor)
    scope = (programme.pk, programme.unit_id)
    with transaction.atomic():
        agent = audited_create(
            ChangeAgent(programme=programme, name="Bripka Sari", position="Bamin"),
            AGENT,
            actor=actor,
            check=_must_have_position,
            programme=programme,
        )
    with transaction.atomic():
        change = audited_update(
            locked(agent, "programme"),
            AGENT,
            actor=actor,
            changes={"position": "Kasubbag"},
            programme=programme,
            note="promoted",
        )
    assert change.changed and change.entry is not None
    agent_id = agent.pk
    with transaction.atomic():
        audited_delete(
            ChangeAgent.objects.get(pk=agent_id), AGENT, actor=actor, programme=programme
        )
    agent.pk = agent_id
    assert _entries(agent) == [
        ("create", {"name": [None, "Bripka Sari"], "position": [None, "Bamin"]}, *scope, ""),
        ("update", {"position": ["Bamin", "Kasubbag"]}, *scope, "promoted"),
        ("delete", {"name": ["Bripka Sari", None], "position": ["Kasubbag", None]}, *scope, ""),
    ]
    assert not ChangeAgent.objects.filter(pk=agent_id).exists()


def test_an_update_that_changes_nothing_records_nothing():
    actor = UserFactory()
    unit = UnitFactory(name="Polres Asahan")
    change = audited_update(
        unit, ("name",), actor=actor, changes={"name": "Polres Asahan"}, unit_id=unit.pk
    )
    assert not change.changed and change.entry is None
    assert _entries(unit) == []


def test_a_refused_change_is_neither_saved_nor_recorded():
    actor = UserFactory()
    programme = make_programme(actor=actor)
    agent = ChangeAgent.objects.create(programme=programme, name="Aiptu Rudi", position="Kanit")
    with pytest.raises(ValidationError):
        audited_update(
            agent,
            AGENT,
            actor=actor,
            changes={"position": ""},
            check=_must_have_position,
            programme=programme,
        )
    assert ChangeAgent.objects.get(pk=agent.pk).position == "Kanit"
    assert _entries(agent) == []
    with pytest.raises(ValidationError):
        audited_create(
            ChangeAgent(programme=programme, name="Tanpa jabatan"),
            AGENT,
            actor=actor,
            check=_must_have_position,
            programme=programme,
        )
    assert not ChangeAgent.objects.filter(name="Tanpa jabatan").exists()


def test_a_block_that_raises_records_nothing():
    actor = UserFactory()
    unit = UnitFactory(name="Polres Batubara")
    with pytest.raises(RuntimeError), audited(unit, ("name",), actor=actor, unit_id=unit.pk):
        unit.name = "Polres Batu Bara"
        raise RuntimeError("stopped half-way")
    assert _entries(unit) == []


def test_save_creates_a_new_row_and_updates_a_stored_one():
    actor = UserFactory()
    unit = UnitFactory(name="Polres Tebing Tinggi")
    new = audited_save(
        Unit(code="POLRES-SERGAI", kind=Unit.Kind.POLRES),
        ("name",),
        actor=actor,
        changes={"name": "Polres Serdang Bedagai"},
        check=Unit.full_clean,
    )
    audited_save(unit, ("name",), actor=actor, changes={"name": "Polres Tebingtinggi"})
    assert [e[:2] for e in _entries(new)] == [
        ("create", {"name": [None, "Polres Serdang Bedagai"]})
    ]
    assert [e[:2] for e in _entries(unit)] == [
        ("update", {"name": ["Polres Tebing Tinggi", "Polres Tebingtinggi"]})
    ]
