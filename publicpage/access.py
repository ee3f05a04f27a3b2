"""Who may do what with a programme's public page.

The public page itself answers everyone alike, and only while the coordinator has it
published: otherwise 404, to everybody (the coordinator sees it through the preview).
Its settings are read by whoever reads everything the coordinator reads and changed by
the coordinator (and site administrators): publishing is the unit's decision.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pokja.access import ProgrammeAccess, get_programme_for_user
from pokja.models import Programme
from publicpage.models import PublicPage
from publicpage.selectors import published_page


def get_published_page(unit_code: str, year: int) -> PublicPage:
    """The published page of UNIT/YEAR, for anyone; 404 when it is not public (one query)."""
    page = published_page(unit_code, year)
    if page is None:
        raise Http404
    return page


def get_programme_for_publisher(
    user, unit_code: str, year: int, *, change: bool = False
) -> tuple[Programme, ProgrammeAccess]:
    """The programme whose page `user` reads (or, with ``change``, changes); 404 if they may
    not see the programme, 403 if they see it but this is not theirs to do."""
    programme, access = get_programme_for_user(user, unit_code, year)
    allowed = access.can_coordinate if change else access.reads_everything
    if not allowed:
        raise PermissionDenied
    return programme, access
