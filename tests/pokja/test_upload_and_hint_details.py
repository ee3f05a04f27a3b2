"""Smaller things seen in use (issue 13): a re-uploaded file's new title, where a refused
upload lands, a hint for an action the reader cannot take, an untranslated audit filter."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from pokja.models import Evidence
from tests.factories import make_item_in, make_plan_item
from tests.permission_matrix import programme_kwargs

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client(user, language="id") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _item_kwargs(world, item) -> dict:
    return {**programme_kwargs(world), "number": item.pokja.number, "item_id": item.pk}


def _upload(client, world, item, title, content=PDF, name="sk-tim.pdf"):
    return client.post(
        reverse("plan_item_evidence_add", kwargs=_item_kwargs(world, item)),
        {"kind": "file", "file": SimpleUploadedFile(name, content), "title": title},
        follow=True,
    )


def test_a_second_upload_of_the_same_file_with_a_new_title_renames_it(world):
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    client = _client(world.ketua1)
    _upload(client, world, item, "SK Tim (draf)")
    _upload(client, world, item, "SK Tim Pokja 1 (ditandatangani)")
    evidence = Evidence.objects.get(programme=world.programme)
    assert evidence.title == "SK Tim Pokja 1 (ditandatangani)"
    renamed = AuditEntry.objects.filter(
        object_type="pokja.evidence", object_id=str(evidence.pk), action="update"
    )
    assert renamed.count() == 1


def test_another_pokja_uploading_the_same_file_is_told_it_keeps_its_title(world):
    first = make_plan_item(world.programme, 1, actor=world.ketua1)
    second = make_plan_item(world.programme, 2, actor=world.ketua2)
    _upload(_client(world.ketua1), world, first, "SK Tim Pokja 1")
    response = _upload(_client(world.ketua2), world, second, "SK Pokja 2")
    evidence = Evidence.objects.get(programme=world.programme)
    assert evidence.title == "SK Tim Pokja 1"
    assert second.evidence.filter(pk=evidence.pk).exists()
    text = response.content.decode()
    assert "sudah tersimpan dengan judul “SK Tim Pokja 1” oleh Pokja lain" in text


def test_a_refused_upload_lands_at_its_message(world):
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    response = _upload(
        _client(world.ketua1), world, item, "", content=b"MZ\x90\x00" + b"\x00" * 100
    )
    assert response.status_code == 200 and not Evidence.objects.exists()
    html = response.content.decode()
    actions = re.findall(r'action="([^"]*evidence/[^"]*)"', html)
    assert actions and all(a.endswith("#evidence-attach") for a in actions), actions
    anchor = html.index('id="evidence-attach"')
    assert anchor < html.index('data-testid="evidence-errors"') < html.index("photo-form")


def test_only_who_may_return_an_item_sees_the_hint_about_returning(world):
    item = make_item_in(world, "selesai")
    detail = reverse("plan_item_detail", kwargs=_item_kwargs(world, item))
    plan = reverse("pokja_plan", kwargs={**programme_kwargs(world), "number": 1})
    for member in (world.anggota1, world.ketua1):
        for page in (detail, plan):
            text = _client(member).get(page).content.decode()
            assert "wajib saat mengembalikan" not in text, (member, page)
    text = _client(world.coordinator).get(detail).content.decode()
    assert "wajib saat mengembalikan" in text


def test_the_audit_filter_names_code_batches_in_indonesian(world):
    from tests.surveys.factories import make_survey

    survey = make_survey(world.programme, actor=world.coordinator)
    url = reverse("survey_codes", kwargs={**programme_kwargs(world), "survey_id": survey.pk})
    _client(world.coordinator).post(url, {"count": 4})
    assert AuditEntry.objects.filter(object_type="surveys.codebatch").exists()
    page = _client(world.coordinator).get(reverse("audit_trail", kwargs=programme_kwargs(world)))
    text = page.content.decode()
    assert 'value="surveys.codebatch">Kumpulan kode</option>' in text
    assert "Code batch" not in text
