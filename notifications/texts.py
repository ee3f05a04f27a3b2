"""What a notification says, written when it is read: in the active language, with its dates
and numbers formatted for that language.

A notification stores its kind and the facts (``Notification.params``: codes, names, ISO
dates, decimals as strings); the list page writes them out in the page language, the e-mail
in the recipient's (``translation.override``). So a person who switches to English reads
every notification in English, the old ones included, and a digest mailed to an English
reader is English. Notifications stored as text by earlier versions show that text.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications import rules
from pokja.models import ActionPlanItem


@dataclass(frozen=True)
class Text:
    title: str
    body: str


def _date(iso: str) -> str:
    return date_format(datetime.date.fromisoformat(iso), "j F Y")


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _status(value: str) -> str:
    try:
        return str(ActionPlanItem.Status(value).label)
    except ValueError:
        return value


def _lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def _programme_line(programme: str) -> str:
    return _("Programme: %(programme)s") % {"programme": programme}


# --------------------------------------------------------------------------- reminders


def _plan_reminder(kind: str, params: dict, programme: str) -> Text:
    values = {
        "code": params["code"],
        "days": params.get("days", 0),
        "due": _date(params["due"]),
        "pokja": params["pokja"],
    }
    if kind == rules.DUE_IN_7:
        title = _("Action plan %(code)s is due in 7 days") % values
    elif kind == rules.DUE_IN_1:
        title = _("Action plan %(code)s is due tomorrow") % values
    elif kind == rules.OVERDUE:
        title = _("Action plan %(code)s is overdue (%(days)s days)") % values
    else:
        title = _("Pokja %(pokja)s: action plan %(code)s is overdue (%(days)s days)") % values
    owners = ", ".join(params.get("owners") or []) or "-"
    body = _lines(
        f"{params['code']} {params['title']}",
        _programme_line(programme),
        _("Due date: %(due)s") % values,
        _("Status: %(status)s") % {"status": _status(params["status"])},
        _("Owners: %(owners)s") % {"owners": owners},
    )
    return Text(title, body)


def _evidence(kind: str, params: dict, programme: str) -> Text:
    title = _("Pokja %(number)s: %(count)s LKE answers without evidence") % params
    body = (
        _(
            "%(count)s questions of the LKE worksheet of Pokja %(number)s %(name)s are "
            "answered but have no evidence attached. Attach the supporting documents "
            "before the assessment."
        )
        % params
    )
    return Text(title, body)


def digest_params(digest: rules.Digest, *, target: str, day: datetime.date) -> dict:
    """The digest's figures as JSON-native params (what `_digest` writes out)."""
    return {
        "day": day.isoformat(),
        "target": target,
        "total": None if digest.total is None else str(digest.total),
        "change": None if digest.change is None else str(digest.change),
        "meets_target": digest.meets_target,
        "shortfalls": digest.shortfalls,
        "late": [[p.number, p.name, p.late] for p in digest.late],
        "surveys": [[s.title, s.respondents, s.target] for s in digest.surveys],
    }


def _digest(kind: str, params: dict, programme: str) -> Text:
    late = [rules.PokjaLate(*row) for row in params["late"]]
    digest = rules.Digest(
        total=_decimal(params["total"]),
        change=_decimal(params["change"]),
        meets_target=params["meets_target"],
        shortfalls=params["shortfalls"],
        late_total=sum(p.late for p in late),
        late=late,
        surveys=[rules.SurveyProgress(*row) for row in params["surveys"]],
    )
    body = render_to_string(
        "notifications/digest_body.txt",
        {
            "digest": digest,
            "target": params["target"],
            "day": datetime.date.fromisoformat(params["day"]),
        },
    ).strip()
    return Text(_("Weekly digest: %(programme)s") % {"programme": programme}, body)


# --------------------------------------------------------------------------- events


def _item_line(params: dict) -> str:
    return f"{params['code']} {params['title']}"


def _returned(kind: str, params: dict, programme: str) -> Text:
    return Text(
        _("%(code)s was returned by %(actor)s") % params,
        _lines(
            _item_line(params),
            _("Reason: %(reason)s") % {"reason": params["text"]} if params["text"] else "",
            _("Do what is missing, then mark the item done again."),
            _programme_line(programme),
        ),
    )


def _verified(kind: str, params: dict, programme: str) -> Text:
    return Text(
        _("%(code)s was verified by %(actor)s") % params,
        _lines(
            _item_line(params),
            _("Note: %(note)s") % {"note": params["text"]} if params["text"] else "",
            _programme_line(programme),
        ),
    )


def _tpi_comment(kind: str, params: dict, programme: str) -> Text:
    return Text(
        _("Note from the TPI on %(code)s (%(actor)s)") % params,
        _lines(_item_line(params), params["text"], _programme_line(programme)),
    )


def _section_name(params: dict) -> str:
    if params.get("pokja"):
        return f"Pokja {params['pokja']} · {params['section']}"
    return params["section"]


def _reviewed(kind: str, params: dict, programme: str) -> Text:
    values = {"section": _section_name(params), "actor": params["actor"]}
    return Text(
        _("%(section)s was reviewed by the TPI (%(actor)s)") % values,
        _lines(
            _("Note: %(note)s") % {"note": params["text"]} if params["text"] else "",
            _("Read the TPI's answers and notes on the worksheet."),
            _programme_line(programme),
        ),
    )


def _to_draft(kind: str, params: dict, programme: str) -> Text:
    values = {"section": _section_name(params), "actor": params["actor"]}
    return Text(
        _("%(section)s was returned to draft by %(actor)s") % values,
        _lines(
            _("Reason: %(reason)s") % {"reason": params["text"]} if params["text"] else "",
            _("The unit's answers can be changed again; submit the section when they are done."),
            _programme_line(programme),
        ),
    )


def _tpi_note(kind: str, params: dict, programme: str) -> Text:
    values = {"number": params["number"], "section": _section_name(params)}
    return Text(
        _("Note from the TPI on question %(number)s (%(section)s)") % values,
        _lines(
            params["text"],
            _("From: %(actor)s") % {"actor": params["actor"]},
            _programme_line(programme),
        ),
    )


Writer = Callable[[str, dict, str], Text]
WRITERS: dict[str, Writer] = {
    rules.DUE_IN_7: _plan_reminder,
    rules.DUE_IN_1: _plan_reminder,
    rules.OVERDUE: _plan_reminder,
    rules.ESCALATION: _plan_reminder,
    "evidence": _evidence,
    "digest": _digest,
    "returned": _returned,
    "verified": _verified,
    "tpi_comment": _tpi_comment,
    "reviewed": _reviewed,
    "to_draft": _to_draft,
    "tpi_note": _tpi_note,
}


def write(kind: str, params: dict, programme: str) -> Text:
    """The text of a notification of `kind` with `params`, in the active language."""
    return WRITERS[kind](kind, params, programme)


def notification_text(notification) -> Text:
    """A stored notification's text, in the active language."""
    if not notification.params:  # stored as text by an earlier version
        return Text(notification.title, notification.body)
    return write(notification.kind, notification.params, str(notification.programme))
