"""pokja.forms.submitted: how every page saves its form through one service call."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from pokja.forms import submitted
from zi_tracker.forms import Form


class NoteForm(Form):
    title = forms.CharField(max_length=20)
    note = forms.CharField(max_length=20, required=False)


def test_a_valid_post_is_saved_once_and_gives_what_the_service_returned():
    calls = []
    request = RequestFactory().post("/", {"title": "Rapat", "note": "Senin"})
    saved = submitted(request, NoteForm(request.POST), lambda data: calls.append(data) or 7)
    assert saved and saved.value == 7
    assert calls == [{"title": "Rapat", "note": "Senin"}]


def test_a_get_or_an_invalid_post_calls_no_service():
    calls = []
    get = RequestFactory().get("/")
    assert not submitted(get, NoteForm(), calls.append)
    post = RequestFactory().post("/", {"note": "tanpa judul"})
    form = NoteForm(post.POST)
    assert not submitted(post, form, calls.append)
    assert calls == [] and "title" in form.errors


def test_a_services_refusal_lands_on_the_field_it_names_or_above_the_form():
    def refuse(data):
        raise ValidationError({"note": "Catatan ditolak.", "owner": "Tidak dikenal."})

    request = RequestFactory().post("/", {"title": "Rapat", "note": "x"})
    form = NoteForm(request.POST)
    saved = submitted(request, form, refuse)
    assert not saved and saved.value is None
    assert form.errors["note"] == ["Catatan ditolak."]
    assert form.non_field_errors() == ["Tidak dikenal."]  # the form has no such field
