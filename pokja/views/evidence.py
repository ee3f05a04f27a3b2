"""The evidence forms of the pages that hold evidence (a plan item, an audit finding): one
POST adds a file or photo, a link, or a piece the programme already has; the page says what
became of it. The LKE question's evidence is in `evaluations.views` (its answers are htmx
fragments), through the same services (`pokja.services.evidence`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pokja.forms import EvidenceFileForm, EvidenceLinkForm, EvidencePickForm, add_validation_errors
from pokja.models import Evidence, Pokja, Programme
from pokja.selectors import evidence_choices


@dataclass
class EvidencePost:
    """What became of an evidence form: `done`, or the bound form (under `bound`, the
    template's name for it) with its errors."""

    form: object
    bound: str
    done: bool = False
    evidence: Evidence | None = None

    @property
    def context(self) -> dict:
        return {self.bound: self.form}


def evidence_post(
    request,
    *,
    programme: Programme,
    pokja: Pokja | None,
    attach: Callable[[Evidence], object],
    add: Callable[..., Evidence],
) -> EvidencePost:
    """Read the evidence form of `request.POST` (`kind`: file, link or pick) and call
    `attach(evidence)` for a piece picked, or `add(uploaded=... | url=..., title=...)` for a
    new one. A service's refusal lands on the form's fields."""
    kind = request.POST.get("kind")
    if kind == "link":
        post = EvidencePost(EvidenceLinkForm(request.POST), "link_form")
    elif kind == "pick":
        choices = evidence_choices(programme, pokja)
        post = EvidencePost(EvidencePickForm(request.POST, choices=choices), "pick_form")
    else:
        post = EvidencePost(EvidenceFileForm(request.POST, request.FILES), "file_form")
    if not post.form.is_valid():
        return post
    data = post.form.cleaned_data
    try:
        if kind == "pick":
            attach(data["evidence"])
        elif kind == "link":
            post.evidence = add(url=data["url"], title=data["title"])
        else:
            post.evidence = add(uploaded=data["file"], title=data["title"])
    except ValidationError as exc:
        add_validation_errors(post.form, exc)
        return post
    post.done = True
    tell_if_title_kept(request, post.evidence)
    return post


def evidence_forms(programme: Programme, pokja: Pokja | None, bound: dict) -> dict:
    """The three evidence forms of a page, empty, or as `bound` holds them after a POST."""
    return {
        "file_form": bound.get("file_form") or EvidenceFileForm(),
        "link_form": bound.get("link_form") or EvidenceLinkForm(),
        "pick_form": bound.get("pick_form")
        or EvidencePickForm(choices=evidence_choices(programme, pokja)),
    }


def tell_if_title_kept(request, evidence) -> None:
    """A file already stored by another Pokja keeps its title (services.evidence_add_file):
    say so, rather than silently showing the old title."""
    if getattr(evidence, "kept_title", False):
        messages.info(
            request,
            _(
                "This file is already stored as “%(title)s” by another Pokja: it is attached "
                "under that title."
            )
            % {"title": evidence.title},
        )
