"""Where the apps above pokja hook into the work of the apps below them: actions on pokja's
pages, changes to a programme, events people must hear of, what a unit role leads to on the
home page, and the demo world's data (each section below says who signals and who listens).

pokja never imports the apps built on it. An app that composes (the dashboards, say) registers
a provider for a page in its AppConfig.ready(); the page asks for its actions when it renders.
A provider takes the request, the programme, the person's access and the page's own objects,
and returns None (nothing to offer this person) or a dict with at least "template": the partial
to include, which receives the dict as ``action``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Provider = Callable[..., dict | None]

# Pages that offer actions: "change_agents" (the change-agent register; kwargs: keeper) and
# "pokja_plan" (a Pokja's action plan; kwargs: pokja).
_providers: dict[str, list[Provider]] = defaultdict(list)


def register_page_action(page: str, provider: Provider) -> None:
    if provider not in _providers[page]:
        _providers[page].append(provider)


def page_actions(page: str, request, programme, access, **objects) -> list[dict]:
    """What the registered providers offer on `page` to this person, in registration order."""
    actions = []
    for provider in _providers.get(page, ()):
        action = provider(request=request, programme=programme, access=access, **objects)
        if action is not None:
            actions.append(action)
    return actions


# --------------------------------------------------------------------------- changes

# Apps above pokja that keep figures derived from a programme (evaluations: the stored score)
# register a listener here in AppConfig.ready(). pokja's services (and those of apps below the
# listener, such as surveys) call `programme_changed` inside the transaction that changed
# something those figures depend on: a programme's settings, survey responses.
ChangeListener = Callable[[int], None]
_change_listeners: list[ChangeListener] = []


def register_programme_change_listener(listener: ChangeListener) -> None:
    if listener not in _change_listeners:
        _change_listeners.append(listener)


def programme_changed(programme_id: int) -> None:
    """Tell the registered listeners that programme `programme_id` changed."""
    for listener in _change_listeners:
        listener(programme_id)


# Changes the public makes many at a time (survey responses) are told after they commit, by
# `responses_added`; the listener (evaluations' score_note_committed_change) may then skip
# writing the shared stored-score row while a run that will read them is queued.
_response_listeners: list[ChangeListener] = []


def register_responses_listener(listener: ChangeListener) -> None:
    if listener not in _response_listeners:
        _response_listeners.append(listener)


def responses_added(programme_id: int) -> None:
    """Tell the registered listeners that responses of programme `programme_id` were stored
    (call it after their commit)."""
    for listener in _response_listeners:
        listener(programme_id)


# --------------------------------------------------------------------------- events

# Things the people concerned must hear of and act on. The service that makes one calls
# `event_happened` inside its transaction, once the change is audited; the listener that
# notifications registers in NotificationsConfig.ready() (notifications.events.notify_event)
# tells the people who must act: in the app at once, by e-mail after the commit. Changes made
# by the system itself (demo data, commands run without a user) are not events.

PLAN_RETURNED = "returned"  # subject: the ActionPlanItem; text: the reason
PLAN_VERIFIED = "verified"  # subject: the ActionPlanItem; text: the coordinator's note
PLAN_TPI_COMMENT = "tpi_comment"  # subject: the ActionPlanComment an assessor wrote
SECTION_REVIEWED = "reviewed"  # subject: the AssessmentSection; text: the TPI's note
SECTION_RETURNED = "to_draft"  # subject: the AssessmentSection; text: the reason
TPI_NOTE = "tpi_note"  # subject: the Answer whose TPI note was written or changed

EVENT_KINDS = (
    PLAN_RETURNED,
    PLAN_VERIFIED,
    PLAN_TPI_COMMENT,
    SECTION_REVIEWED,
    SECTION_RETURNED,
    TPI_NOTE,
)


@dataclass(frozen=True)
class Event:
    kind: str  # one of EVENT_KINDS
    programme_id: int
    actor: Any  # the person who acted (never told of it themself)
    audit_entry_id: int  # the audit entry of the change: one event, told once to each person
    subject: Any  # the object the event is about (see the kinds above)
    text: str = ""  # what the actor wrote with it (reason, note, comment)


EventListener = Callable[[Event], None]
_event_listeners: list[EventListener] = []


def register_event_listener(listener: EventListener) -> None:
    if listener not in _event_listeners:
        _event_listeners.append(listener)


def event_happened(
    *, kind: str, programme_id: int, actor, audit_entry, subject, text: str = ""
) -> None:
    """Tell the registered listeners of an event; nothing for the system's own changes or for
    a change the audit trail did not record (nothing changed)."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    if actor is None or not getattr(actor, "is_authenticated", False) or audit_entry is None:
        return
    event = Event(
        kind=kind,
        programme_id=programme_id,
        actor=actor,
        audit_entry_id=audit_entry.pk,
        subject=subject,
        text=(text or "").strip(),
    )
    for listener in _event_listeners:
        listener(event)


# --------------------------------------------------------------------------- demo data

# The demo world (`seed_demo`, composed in dashboards/demo.py) is built from each app's own
# demo data. dashboards imports the demo modules of the apps below it; an app above it (the
# national portal, portalrb) adds its part by registering a seeder here in its
# AppConfig.ready(), so that dashboards never imports it. dashboards calls
# `demo_programme_seeded` once the demo programme has its answers, its stored score and its
# history; each seeder must be safe to run again, as `seed_demo` is.
DemoSeeder = Callable[[Any], None]
_demo_seeders: list[DemoSeeder] = []


def register_demo_seeder(seeder: DemoSeeder) -> None:
    if seeder not in _demo_seeders:
        _demo_seeders.append(seeder)


def demo_programme_seeded(programme) -> None:
    """Let the registered seeders add their demo data around the demo `programme`."""
    for seeder in _demo_seeders:
        seeder(programme)


# --------------------------------------------------------------------------- unit roles

# What a unit role leads to, on the home page (dashboards/selectors/home.py) for the person
# who holds it: an app above pokja that gives a unit role its work (portalrb: the agency ZI
# administrator's proposal to the national portal) registers a provider for that role's kind
# in its AppConfig.ready(). A provider takes the UnitRole (its unit loaded) and returns None
# or a dict with at least "template": the partial to include, which receives the dict as
# ``block``. Providers run no query, so that the home page's queries stay the same.
UnitRoleProvider = Callable[..., dict | None]
_unit_role_providers: dict[str, list[UnitRoleProvider]] = defaultdict(list)


def register_unit_role_block(kind: str, provider: UnitRoleProvider) -> None:
    if provider not in _unit_role_providers[kind]:
        _unit_role_providers[kind].append(provider)


def unit_role_blocks(roles) -> list[dict]:
    """What the registered providers offer for each of `roles`, in the roles' order."""
    blocks = []
    for role in roles:
        for provider in _unit_role_providers.get(role.kind, ()):
            block = provider(role=role)
            if block is not None:
                blocks.append(block)
    return blocks
