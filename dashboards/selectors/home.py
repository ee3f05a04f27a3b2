"""The home page: for each programme a person sees, what needs them today, by their roles.

- coordinator: the score in force against the predicate lines, what blocks the target, the
  late items, the items and worksheet sections waiting for them;
- head of unit (pimpinan): the score, the predicate check, how much is late;
- Pokja chair: their Pokja's late and returned items, its questions without an answer or
  without evidence, the state of its worksheet section;
- anyone who owns plan items (members first): their open items due soon, late or returned;
- TPI: the worksheet sections waiting for their review;
- unit administrator: the roles a programme still lacks;
- a unit role whose work an app above offers (pokja.hooks): its block, e.g. the agency ZI
  administrator's proposal to the national portal.

Everything comes from stored figures (``evaluations.models.ProgrammeScore``, never scored
here) and a fixed number of queries whatever the number of programmes, items or sections.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, Window
from django.utils.translation import gettext as _

from dashboards.selectors.charts import AreaBar, Threshold, area_bars, thresholds
from evaluations.models import AssessmentSection
from evaluations.models import Status as SectionStatus
from evaluations.selectors import ShortfallRow, StoredScore, stored_scores, stored_shortfalls
from notifications.models import Notification
from pokja.access import manageable_unit_ids, visible_programmes
from pokja.hooks import unit_role_blocks
from pokja.models import (
    ActionPlanItem,
    Pokja,
    Programme,
    ProgrammeRole,
    UnitRole,
    User,
    programme_today,
)

Kind = ProgrammeRole.Kind
Status = ActionPlanItem.Status

PROGRAMME_LIMIT = 200  # cards on the page (site administrators see every programme)
SHOWN = 3  # items listed per list on a card: the rest is a count and a link
DUE_SOON_DAYS = 7  # "due soon": as the reminders count it (due in 7 days)
NOTIFICATIONS_SHOWN = 2


@dataclass
class Listing:
    """Some items of a longer list: the first few to show, and how many there are."""

    shown: list[HomeItem] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.shown)

    def add(self, entry: HomeItem, *, show: bool = True) -> None:
        self.total += 1
        if show and len(self.shown) < SHOWN:
            self.shown.append(entry)


@dataclass(frozen=True)
class HomeItem:
    """A plan item as the home page lists it."""

    item: ActionPlanItem  # with its Pokja and owners loaded, `late` annotated
    today: datetime.date

    @property
    def days_late(self) -> int:
        return self.item.days_late_on(self.today)

    @property
    def due_in(self) -> int:
        """Days from today to the due date (0: due today)."""
        return (self.item.due_date - self.today).days


@dataclass(frozen=True)
class SectionRow:
    code: str
    name: str
    status: str
    pokja_number: int | None
    submitted_at: datetime.datetime | None

    @property
    def status_label(self) -> str:
        return str(SectionStatus(self.status).label)


@dataclass
class PokjaHome:
    """A Pokja as its chair sees it on the home page."""

    pokja: Pokja
    area: AreaBar | None  # stored figures; None before the first computation
    section: SectionRow | None
    late: Listing = field(default_factory=Listing)  # the Pokja's; the chair's own not listed
    returned: Listing = field(default_factory=Listing)
    own: int = 0  # of those, the chair's own (listed under their items)

    @property
    def unanswered(self) -> int:
        return self.area.questions - self.area.answered if self.area else 0

    @property
    def without_evidence(self) -> int:
        return self.area.questions - self.area.with_evidence if self.area else 0


@dataclass
class HomeCard:
    programme: Programme
    roles: list[ProgrammeRole]
    can_manage: bool
    score: StoredScore | None = None  # computed stored score (coordinator, head, chair)
    lines: list[Threshold] = field(default_factory=list)
    blockers: list[ShortfallRow] = field(default_factory=list)  # of the target predicate
    late: Listing = field(default_factory=Listing)  # the whole programme's (coordinator, head)
    awaiting: Listing = field(default_factory=Listing)  # done, for the coordinator to verify
    to_finalize: list[SectionRow] = field(default_factory=list)  # reviewed: the coordinator's
    to_review: list[SectionRow] = field(default_factory=list)  # submitted: the TPI's
    reviewed: int = 0  # sections the TPI has reviewed (or finalised)
    sections: int = 0
    chaired: list[PokjaHome] = field(default_factory=list)
    mine: Listing = field(default_factory=Listing)  # the person's own, late, returned or due soon
    open_mine: dict[int, int] = field(default_factory=dict)  # Pokja number -> their open items
    missing_roles: list[str] = field(default_factory=list)
    people: int = 0  # people holding a role (for its administrators)

    @property
    def kinds(self) -> set[str]:
        return {role.kind for role in self.roles}

    @property
    def is_coordinator(self) -> bool:
        return Kind.KOORDINATOR in self.kinds

    @property
    def is_tpi(self) -> bool:
        return Kind.TPI in self.kinds

    @property
    def is_pimpinan(self) -> bool:
        return Kind.PIMPINAN in self.kinds

    @property
    def pokja_roles(self) -> list[ProgrammeRole]:
        return [role for role in self.roles if role.pokja_id]

    @property
    def owns_items(self) -> bool:
        return bool(self.pokja_roles) or self.mine.total > 0

    @property
    def meets_target(self) -> bool | None:
        if self.score is None:
            return None
        return self.score.meets.get(self.programme.target)


@dataclass
class HomePage:
    cards: list[HomeCard]
    unit_roles: list[UnitRole]
    can_create_programme: bool
    can_overview: bool
    notifications: list[Notification]  # the newest unread ones
    unread: int
    today: datetime.date
    due_soon_days: int = DUE_SOON_DAYS
    # What the person's unit roles lead to, from the apps above (pokja.hooks), e.g. an agency
    # ZI administrator's proposal to the national portal.
    role_blocks: list[dict] = field(default_factory=list)

    @property
    def admin_units(self) -> list:
        return [role.unit for role in self.unit_roles if role.kind == UnitRole.Kind.ADMIN]


def home_page(user: User) -> HomePage:
    """Everything the home page shows to `user`, in a fixed number of queries."""
    today = programme_today()
    programmes = list(visible_programmes(user).order_by("-year", "unit__name")[:PROGRAMME_LIMIT])
    by_id = {p.pk: p for p in programmes}
    roles = defaultdict(list)
    for role in ProgrammeRole.objects.filter(
        user=user, programme_id__in=list(by_id)
    ).select_related("pokja"):
        roles[role.programme_id].append(role)
    unit_roles = list(UnitRole.objects.filter(user=user).select_related("unit"))
    manageable = manageable_unit_ids(user)
    cards = [
        HomeCard(
            programme=p,
            roles=roles.get(p.pk, []),
            can_manage=manageable is None or p.unit_id in manageable,
        )
        for p in programmes
    ]
    for card in cards:
        for role in card.roles:
            if role.kind == Kind.KETUA:
                role.pokja.programme = card.programme
                card.chaired.append(PokjaHome(pokja=role.pokja, area=None, section=None))
    _add_scores(cards)
    _add_items(cards, user, today)
    _add_sections(cards)
    _add_missing_roles([card for card in cards if card.can_manage])
    # The newest unread ones, each with the count of them all (a window: one query).
    newest = list(
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .annotate(unread=Window(Count("pk")))
        .order_by("-created_at", "-pk")[:NOTIFICATIONS_SHOWN]
    )
    return HomePage(
        cards=cards,
        unit_roles=unit_roles,
        can_create_programme=manageable is None or bool(manageable),
        can_overview=user.is_superuser
        or any(role.kind == UnitRole.Kind.OVERSIGHT for role in unit_roles),
        notifications=newest,
        unread=newest[0].unread if newest else 0,
        today=today,
        role_blocks=unit_role_blocks(unit_roles),
    )


def _add_scores(cards: list[HomeCard]) -> None:
    """The stored score of the programmes whose home shows one (one query)."""
    wanted = [
        card
        for card in cards
        if card.is_coordinator or card.is_pimpinan or any(r.kind == Kind.KETUA for r in card.roles)
    ]
    if not wanted:
        return
    scores = stored_scores([card.programme.pk for card in wanted], with_breakdown=True)
    for card in wanted:
        stored = scores.get(card.programme.pk)
        spec = card.programme.framework.spec
        card.lines = thresholds(spec)
        if stored is None or not stored.is_computed:
            continue
        card.score = stored
        if card.is_coordinator or card.is_pimpinan:
            card.blockers = stored_shortfalls(spec, stored, card.programme.target)


def _add_items(cards: list[HomeCard], user: User, today: datetime.date) -> None:
    """The plan items some card lists (one query, and one for their owners)."""
    overseen = [c.programme.pk for c in cards if c.is_coordinator or c.is_pimpinan]
    coordinated = [c.programme.pk for c in cards if c.is_coordinator]
    chaired = [r.pokja_id for c in cards for r in c.roles if r.kind == Kind.KETUA]
    if not (overseen or chaired or any(c.roles for c in cards)):
        return
    late = ActionPlanItem.late_q(today)
    owned = Q(
        pk__in=ActionPlanItem.owners.through.objects.filter(user_id=user.pk).values(
            "actionplanitem_id"
        )
    )
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    wanted = owned & Q(status__in=ActionPlanItem.OPEN_STATUSES)
    if overseen:
        wanted |= Q(programme_id__in=overseen) & late
    if coordinated:
        wanted |= Q(programme_id__in=coordinated, status=Status.DONE)
    if chaired:
        wanted |= Q(pokja_id__in=chaired) & (late | Q(status=Status.RETURNED))
    by_programme = {card.programme.pk: card for card in cards}
    items = (
        # Only in the programmes on the page: the person's access to each is what listed it.
        ActionPlanItem.objects.filter(wanted, programme_id__in=list(by_programme))
        .with_lateness(today)
        .select_related("pokja")
        .prefetch_related(
            Prefetch("owners", queryset=User.objects.order_by("full_name", "username"))
        )
        # The longest late first, then what is due first; items waiting for verification
        # come in the order they were marked done.
        .order_by("due_date", "pokja__number", "number")
    )
    chaired_homes = {home.pokja.pk: home for card in cards for home in card.chaired}
    waiting: list[ActionPlanItem] = []
    for item in items:
        card = by_programme.get(item.programme_id)
        if card is None:
            continue
        entry = HomeItem(item, today)
        is_mine = any(owner.pk == user.pk for owner in item.owners.all())
        if is_mine and item.is_open:
            card.open_mine[item.pokja.number] = card.open_mine.get(item.pokja.number, 0) + 1
            if item.due_date <= soon or item.status == Status.RETURNED:
                card.mine.add(entry)
        if item.late and (card.is_coordinator or card.is_pimpinan):
            card.late.add(entry)
        if item.status == Status.DONE and card.is_coordinator:
            waiting.append(item)
        home = chaired_homes.get(item.pokja_id)
        if home is not None and (item.late or item.status == Status.RETURNED):
            # Counted for the whole Pokja; listed only if not among the chair's own items.
            (home.late if item.late else home.returned).add(entry, show=not is_mine)
            home.own += is_mine
    waiting.sort(key=lambda i: (i.status_changed_at or i.updated_at, i.pokja.number, i.number))
    for item in waiting:
        by_programme[item.programme_id].awaiting.add(HomeItem(item, today))


def _add_sections(cards: list[HomeCard]) -> None:
    """Worksheet sections of the programmes where the person coordinates, reviews or chairs a
    Pokja (one query); and each chaired Pokja's stored area figures."""
    wanted = [c for c in cards if c.is_coordinator or c.is_tpi or c.chaired]
    if not wanted:
        return
    by_programme = {card.programme.pk: card for card in wanted}
    rows = (
        AssessmentSection.objects.filter(assessment__programme_id__in=list(by_programme))
        .order_by("order")
        .values_list(
            "assessment__programme_id", "code", "name", "status", "pokja_number", "submitted_at"
        )
    )
    for programme_id, *fields in rows:
        card = by_programme[programme_id]
        section = SectionRow(*fields)
        card.sections += 1
        if section.status in (SectionStatus.REVIEWED, SectionStatus.FINAL):
            card.reviewed += 1
        if card.is_tpi and section.status == SectionStatus.SUBMITTED:
            card.to_review.append(section)
        if card.is_coordinator and section.status == SectionStatus.REVIEWED:
            card.to_finalize.append(section)
        for home in card.chaired:
            if home.pokja.area_code == section.code:
                home.section = section
    for card in wanted:
        if not card.chaired:
            continue
        spec = card.programme.framework.spec
        figures = card.score.figures if card.score else {}
        bars = {bar.code: bar for bar in area_bars(spec, figures, card.lines or thresholds(spec))}
        for home in card.chaired:
            home.area = bars.get(home.pokja.area_code)


def _add_missing_roles(cards: list[HomeCard]) -> None:
    """For the programmes the person administers: the roles nobody holds yet (two queries)."""
    if not cards:
        return
    by_programme = {card.programme.pk: card for card in cards}
    held: dict[int, set[str]] = defaultdict(set)
    people: dict[int, set[int]] = defaultdict(set)
    chairs: set[int] = set()
    for programme_id, kind, pokja_id, user_id in ProgrammeRole.objects.filter(
        programme_id__in=list(by_programme), user__is_active=True
    ).values_list("programme_id", "kind", "pokja_id", "user_id"):
        held[programme_id].add(kind)
        people[programme_id].add(user_id)
        if kind == Kind.KETUA:
            chairs.add(pokja_id)
    pokjas = defaultdict(list)
    for pk, programme_id, number in (
        Pokja.objects.filter(programme_id__in=list(by_programme))
        .order_by("number")
        .values_list("pk", "programme_id", "number")
    ):
        pokjas[programme_id].append((pk, number))
    for programme_id, card in by_programme.items():
        kinds = held[programme_id]
        missing = [
            str(label)
            for kind, label in (
                (Kind.KOORDINATOR, Kind.KOORDINATOR.label),
                (Kind.TPI, Kind.TPI.label),
                (Kind.PIMPINAN, Kind.PIMPINAN.label),
            )
            if kind not in kinds
        ]
        missing += [
            _("Chair of Pokja %(number)s") % {"number": number}
            for pk, number in pokjas[programme_id]
            if pk not in chairs
        ]
        card.missing_roles = missing
        card.people = len(people[programme_id])
