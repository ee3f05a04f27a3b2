"""Places on pokja's pages where apps above pokja add their own actions.

pokja never imports the apps built on it. An app that composes (the dashboards, say) registers
a provider for a page in its AppConfig.ready(); the page asks for its actions when it renders.
A provider takes the request, the programme, the person's access and the page's own objects,
and returns None (nothing to offer this person) or a dict with at least "template": the partial
to include, which receives the dict as ``action``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

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
