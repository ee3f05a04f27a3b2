"""Who gets what from every URL of the project.

Every named URL pattern must have an entry here (or be listed in PUBLIC or EXEMPT); the
matrix test fails for a URL added without one. Each entry builds the URL from the standard
test world (tests.factories.World) and says the expected status for every role:

    anonymous   not signed in                 no_role    signed in, no role anywhere
    outsider    coordinator of another unit   koordinator, ketua1, anggota1 (Pokja 1),
    anggota2    member of Pokja 2             tpi, pimpinan, unit_admin, site_admin
    oversight   oversight role on the parent unit (read only)
    agency      agency ZI administrator of the parent unit (proposals to the national portal)

Statuses: 302 for anonymous (sent to sign in); 404 when the person may not see the object
(its existence is not revealed); 403 when they may see it but not do this; 200 to read;
302 after a successful change.

Changing ids in URLs (IDOR) is tried for every entry with the same builders applied to a
mirror of the world (`mirror_world`: the other unit's programme with a full cast of its own):
the other programme's objects addressed through this programme's URL, and the other
programme's own URLs, must answer 404 to this world's people. A builder that cannot run on
the mirror gets an explicit `foreign` builder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.factories import UserFactory, World, give_pokja_and_review_roles

ROLES = (
    "anonymous",
    "no_role",
    "outsider",
    "koordinator",
    "ketua1",
    "anggota1",
    "anggota2",
    "tpi",
    "pimpinan",
    "unit_admin",
    "oversight",
    "agency",
    "site_admin",
)
VIEWERS = (
    "koordinator",
    "ketua1",
    "anggota1",
    "anggota2",
    "tpi",
    "pimpinan",
    "unit_admin",
    "oversight",
    "site_admin",
)


def statuses(default: int, **by_role: int) -> dict[str, int]:
    expected = dict.fromkeys(ROLES, default)
    expected["anonymous"] = 302
    expected.update(by_role)
    return expected


def read_by_viewers(**overrides: int) -> dict[str, int]:
    """Everyone who can see the programme reads (200); others get 404."""
    return statuses(404, **{**dict.fromkeys(VIEWERS, 200), **overrides})


def programme_kwargs(world: World) -> dict:
    return {"unit_code": world.unit.code, "year": world.programme.year}


@dataclass
class Case:
    kwargs: Callable[[World], dict]
    expect: dict[str, int]
    method: str = "get"
    data: Callable[[World], dict] = field(default=lambda world: {})
    # Extra set-up on the world before the requests (e.g. an uploaded file to download).
    prepare: Callable[[World], None] | None = None
    # The URL kwargs on the mirror world, when `kwargs` cannot build them there.
    foreign: Callable[[World], dict] | None = None


# URL parameters that say which programme or unit a URL is about; the others name objects.
SCOPE_KEYS = frozenset({"unit_code", "year"})


def mirror_world(world: World) -> World:
    """The other unit's programme as a world of its own, with a person in every role.

    Its `outsider` is this world's coordinator, and this world's outsider coordinates it.
    """
    from pokja.models import UnitRole

    other = world.other_programme
    cast = {
        name: UserFactory(username=f"beta-{name}")
        for name in ("ketua1", "anggota1", "ketua2", "anggota2", "tpi", "pimpinan", "admin")
    }
    give_pokja_and_review_roles(cast, other)
    UnitRole.objects.create(user=cast["admin"], unit=other.unit, kind=UnitRole.Kind.ADMIN)
    oversight = UserFactory(username="beta-oversight")
    UnitRole.objects.create(user=oversight, unit=other.unit, kind=UnitRole.Kind.OVERSIGHT)
    agency = UserFactory(username="beta-agency")
    UnitRole.objects.create(user=agency, unit=other.unit, kind=UnitRole.Kind.AGENCY)
    return dataclasses.replace(
        world,
        parent_unit=other.unit,
        unit=other.unit,
        programme=other,
        pokjas={p.number: p for p in other.pokjas.all()},
        coordinator=world.outsider,
        ketua1=cast["ketua1"],
        anggota1=cast["anggota1"],
        ketua2=cast["ketua2"],
        anggota2=cast["anggota2"],
        tpi=cast["tpi"],
        pimpinan=cast["pimpinan"],
        unit_admin=cast["admin"],
        oversight=oversight,
        agency_admin=agency,
        outsider=world.coordinator,
        other_programme=world.programme,
        extra={},
    )


def _pakta_evidence(world: World) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pokja.services import evidence_add_file

    evidence = evidence_add_file(
        actor=world.coordinator,
        programme=world.programme,
        pokja=world.pokjas[1],
        uploaded=SimpleUploadedFile(
            "pakta.pdf", b"%PDF-1.4\n% test\n", content_type="application/pdf"
        ),
        title="Pakta",
    )
    return {"pk": evidence.pk}


def _role_of_anggota1(world: World) -> dict:
    role = world.programme.roles.get(user=world.anggota1)
    return {**programme_kwargs(world), "role_id": role.pk}


def _invitation(world: World, invitee=None) -> dict:
    """An open invitation of the programme's administrator, to the outsider by default."""
    from pokja.services import role_invitation_create

    invitation = role_invitation_create(
        actor=world.unit_admin,
        programme=world.programme,
        username=(invitee or world.outsider).username,
        kind="tpi",
    )
    return {**programme_kwargs(world), "invitation_id": invitation.pk}


# People who see the unit (through a role in it, or oversight above it) without administering it.
UNIT_SEERS = ("koordinator", "ketua1", "anggota1", "anggota2", "tpi", "pimpinan", "oversight")


def for_unit_admins(ok: int) -> dict[str, int]:
    """Unit pages: administrators get `ok`; others who see the unit 403; the rest 404."""
    return statuses(404, **dict.fromkeys(UNIT_SEERS, 403), unit_admin=ok, site_admin=ok)


def unit_kwargs(world: World) -> dict:
    return {"unit_code": world.unit.code}


def _person(world: World) -> dict:
    # ketua2 is nobody's test identity in the walk, so changing them changes no requester.
    return {**unit_kwargs(world), "user_id": world.ketua2.pk}


def _person_programme_role(world: World) -> dict:
    role = world.programme.roles.get(user=world.ketua2)
    return {**_person(world), "role_id": role.pk}


def _person_unit_role(world: World) -> dict:
    from pokja.models import UnitRole

    role, _ = UnitRole.objects.get_or_create(
        user=world.ketua2, unit=world.unit, kind=UnitRole.Kind.ADMIN
    )
    return {**_person(world), "role_id": role.pk}


def _question(number: int):
    return lambda world: {**programme_kwargs(world), "number": number}


def _lke_section(code: str):
    return lambda world: {**programme_kwargs(world), "section": code}


def _pdf_upload(world: World) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "file": SimpleUploadedFile(
            "bukti.pdf", b"%PDF-1.4\n% test\n", content_type="application/pdf"
        )
    }


def _attached_evidence(world: World) -> dict:
    from evaluations.services import answer_evidence_add

    evidence = answer_evidence_add(
        actor=world.coordinator,
        programme=world.programme,
        number=1,
        url="https://example.go.id/sk-tim",
        title="SK Tim",
    )
    return {**programme_kwargs(world), "number": 1, "evidence_id": evidence.pk}


# Who answers the unit's side of question 1 (area MP, Pokja 1).
_UNIT_ANSWERERS = ("koordinator", "ketua1", "anggota1", "site_admin")


def _only(allowed: tuple[str, ...], status: int) -> dict[str, int]:
    return read_by_viewers(**{r: (status if r in allowed else 403) for r in VIEWERS})


def _survey(world: World) -> dict:
    from tests.surveys.factories import make_survey

    survey = make_survey(world.programme)
    return {**programme_kwargs(world), "survey_id": survey.pk}


def _official_figure(world: World) -> dict:
    from surveys.loader import load_bundled_instruments

    load_bundled_instruments()  # q125 is survey-fed once the SPAK instrument is loaded
    return {**programme_kwargs(world), "question": 125}


def _public_survey(world: World) -> dict:
    from tests.surveys.factories import make_survey

    return {"token": make_survey(world.programme).public_token}


# Who reads everything the coordinator reads: the head of unit too, who changes nothing there
# (the pages show no change controls and refuse their POSTs, tests/pokja/test_head_of_unit.py).
READS_EVERYTHING = ("koordinator", "pimpinan", "unit_admin", "site_admin")
# Pages of the coordinator and the unit's administrators that show something: read by the
# head of unit as well.
MANAGEMENT_READERS = read_by_viewers(**{r: 403 for r in VIEWERS if r not in READS_EVERYTHING})
# Survey creation and imports, pages that exist only to change something: the coordinator
# and the unit's administrators.
SURVEY_MANAGERS = read_by_viewers(
    **{r: 403 for r in VIEWERS if r not in ("koordinator", "unit_admin", "site_admin")}
)
# Exports of survey data: whoever may export the programme's data.
SURVEY_EXPORTERS = read_by_viewers(
    **{r: 403 for r in VIEWERS if r not in ("koordinator", "pimpinan", "unit_admin", "site_admin")}
)
# Respondents' pages: everyone, signed in or not. The survey's link answers with a redirect
# to the address of a new filled-in form (tests/surveys/test_submission.py follows it).
RESPONDENTS = statuses(200, anonymous=200)
RESPONDENTS_LINK = statuses(302)

# Who changes what in Pokja 1's action plan and the registers, beyond reading.
POKJA1_EDITORS = ("koordinator", "ketua1", "anggota1", "site_admin")
POKJA1_CHAIRS = ("koordinator", "ketua1", "site_admin")
# The world has nobody in Pokja 5, which keeps the findings register.
FINDINGS_KEEPERS = ("koordinator", "site_admin")


def changed_by(editors: tuple[str, ...], status: int = 200) -> dict[str, int]:
    """Viewers who are not `editors` get 403; editors get `status`."""
    return read_by_viewers(
        **{r: 403 for r in VIEWERS if r not in editors}, **dict.fromkeys(editors, status)
    )


def _pokja1(world: World) -> dict:
    return {**programme_kwargs(world), "number": 1}


def _plan_item(world: World) -> dict:
    from tests.factories import make_plan_item

    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    return {**_pokja1(world), "item_id": item.pk}


def _plan_item_with_evidence(world: World) -> dict:
    from pokja.models import ActionPlanItem
    from pokja.services import evidence_add_link

    kwargs = _plan_item(world)
    evidence = evidence_add_link(
        actor=world.ketua1,
        programme=world.programme,
        pokja=world.pokjas[1],
        url="https://example.test/notulen",
        title="Notulen",
    )
    ActionPlanItem.objects.get(pk=kwargs["item_id"]).evidence.add(evidence)
    return {**kwargs, "evidence_id": evidence.pk}


def _finding(world: World) -> dict:
    import datetime

    from pokja.services import finding_create

    finding = finding_create(
        actor=world.coordinator,
        programme=world.programme,
        source="apip",
        report_date=datetime.date(2026, 3, 2),
        title="Kas kecil tanpa bukti",
        recommendation="Lengkapi bukti pertanggungjawaban",
    )
    return {**programme_kwargs(world), "finding_id": finding.pk}


def _finding_with_evidence(world: World) -> dict:
    from pokja.models import AuditFinding
    from pokja.services import evidence_add_link

    kwargs = _finding(world)
    evidence = evidence_add_link(
        actor=world.coordinator,
        programme=world.programme,
        pokja=None,
        url="https://example.test/tl",
        title="Bukti setor",
    )
    AuditFinding.objects.get(pk=kwargs["finding_id"]).evidence.add(evidence)
    return {**kwargs, "evidence_id": evidence.pk}


def _agent(world: World) -> dict:
    from pokja.services import change_agent_create

    agent = change_agent_create(
        actor=world.ketua1, programme=world.programme, name="Bripka Siregar"
    )
    return {**programme_kwargs(world), "agent_id": agent.pk}


def _agent_change(world: World) -> dict:
    import datetime

    from pokja.models import ChangeAgent
    from pokja.services import change_agent_change_create

    kwargs = _agent(world)
    change = change_agent_change_create(
        actor=world.ketua1,
        agent=ChangeAgent.objects.get(pk=kwargs["agent_id"]),
        title="Antrean SIM daring",
        made_on=datetime.date(2026, 4, 1),
    )
    return {**kwargs, "change_id": change.pk}


PLAN_MATRIX: dict[str, Case] = {
    "programme_plans": Case(programme_kwargs, read_by_viewers()),
    "pokja_plan": Case(_pokja1, read_by_viewers()),
    "pokja_plan_monitoring": Case(_pokja1, read_by_viewers()),
    "pokja_plan_template": Case(lambda w: {**_pokja1(w), "fmt": "xlsx"}, read_by_viewers()),
    "pokja_plan_export": Case(_pokja1, read_by_viewers()),
    "pokja_plan_import": Case(_pokja1, changed_by(POKJA1_EDITORS)),
    "plan_item_create": Case(_pokja1, changed_by(POKJA1_EDITORS)),
    "plan_item_detail": Case(_plan_item, read_by_viewers()),
    "plan_item_edit": Case(_plan_item, changed_by(POKJA1_EDITORS)),
    "plan_item_delete": Case(_plan_item, changed_by(POKJA1_CHAIRS, 302), method="post"),
    "plan_item_status": Case(
        _plan_item,
        changed_by(POKJA1_EDITORS, 302),
        method="post",
        data=lambda w: {"status": "berjalan", "progress": "10", "note": "Mulai"},
    ),
    "plan_item_evidence_add": Case(
        _plan_item,
        changed_by(POKJA1_EDITORS, 302),
        method="post",
        data=lambda w: {"kind": "link", "url": "https://example.test/foto", "title": "Foto"},
    ),
    "plan_item_evidence_remove": Case(
        _plan_item_with_evidence, changed_by(POKJA1_EDITORS, 302), method="post"
    ),
    "plan_item_comment": Case(
        _plan_item,
        changed_by((*POKJA1_EDITORS, "tpi"), 302),  # the TPI's comments are its notes
        method="post",
        data=lambda w: {"text": "Sudah dikerjakan"},
    ),
    "plan_item_monitoring": Case(
        _plan_item,
        changed_by(POKJA1_EDITORS, 302),
        method="post",
        data=lambda w: {"month": "1", "percent": "10", "note": "Rapat persiapan"},
    ),
    "findings": Case(programme_kwargs, read_by_viewers()),
    "finding_create": Case(programme_kwargs, changed_by(FINDINGS_KEEPERS)),
    "finding_detail": Case(_finding, read_by_viewers()),
    "finding_evidence_add": Case(
        _finding,
        changed_by(FINDINGS_KEEPERS, 302),
        method="post",
        data=lambda w: {"kind": "link", "url": "https://example.test/stp", "title": "STS"},
    ),
    "finding_evidence_remove": Case(
        _finding_with_evidence, changed_by(FINDINGS_KEEPERS, 302), method="post"
    ),
    "finding_delete": Case(_finding, changed_by(FINDINGS_KEEPERS, 302), method="post"),
    "change_agents": Case(programme_kwargs, read_by_viewers()),
    "change_agent_create": Case(programme_kwargs, changed_by(POKJA1_EDITORS)),
    "change_agent_edit": Case(_agent, changed_by(POKJA1_EDITORS)),
    "change_agent_delete": Case(_agent, changed_by(POKJA1_EDITORS, 302), method="post"),
    "agent_change_create": Case(_agent, changed_by(POKJA1_EDITORS)),
    "agent_change_edit": Case(_agent_change, changed_by(POKJA1_EDITORS)),
    "agent_change_delete": Case(_agent_change, changed_by(POKJA1_EDITORS, 302), method="post"),
}

LKE_MATRIX: dict[str, Case] = {
    "change_agents_to_lke": Case(programme_kwargs, changed_by(POKJA1_EDITORS, 302), method="post"),
    "pokja_plan_drafts": Case(_pokja1, read_by_viewers()),
    "programme_dashboard": Case(programme_kwargs, read_by_viewers()),
    # The world's score is not computed yet, so the line answers (and keeps polling).
    "programme_score_status": Case(programme_kwargs, read_by_viewers()),
    "proposal_record": Case(
        programme_kwargs,
        _only(("koordinator", "site_admin"), 302),
        method="post",
        data=lambda w: {"audit_opinion": "WTP", "sakip_grade": "BB"},
    ),
    "pokja_dashboard": Case(_pokja1, read_by_viewers()),
    # The multi-unit overview: oversight roles (of the parent unit) and site administrators.
    "units_overview": Case(lambda w: {}, statuses(403, oversight=200, site_admin=200)),
    "units_overview_export": Case(lambda w: {}, statuses(403, oversight=200, site_admin=200)),
    "plan_draft_accept": Case(
        lambda w: {**_pokja1(w), "question": 92}, changed_by(POKJA1_CHAIRS, 302), method="post"
    ),
}

# The LKE worksheet: everyone who sees the programme reads it and may try what-if.
WORKSHEET_MATRIX: dict[str, Case] = {
    "lke_overview": Case(programme_kwargs, read_by_viewers()),
    "lke_what_if": Case(
        programme_kwargs, read_by_viewers(), method="post", data=lambda w: {"q1": "Ya"}
    ),
    "lke_finalize": Case(
        programme_kwargs, _only(("koordinator", "site_admin"), 302), method="post"
    ),
    "lke_section": Case(_lke_section("MP"), read_by_viewers()),
    "lke_section_status": Case(
        _lke_section("MP"),
        _only(("koordinator", "ketua1", "site_admin"), 302),
        method="post",
        data=lambda w: {"action": "submit"},
    ),
    "lke_answer_unit": Case(
        _question(1), _only(_UNIT_ANSWERERS, 302), method="post", data=lambda w: {"value": "Ya"}
    ),
    "lke_answer_tpi": Case(
        _question(1),
        _only(("tpi", "site_admin"), 302),
        method="post",
        data=lambda w: {"value": "Tidak"},
    ),
    "lke_evidence_upload": Case(
        _question(1), _only(_UNIT_ANSWERERS, 302), method="post", data=_pdf_upload
    ),
    "lke_evidence_link": Case(
        _question(1),
        _only(_UNIT_ANSWERERS, 302),
        method="post",
        data=lambda w: {"url": "https://example.go.id/foto", "title": "Foto"},
    ),
    "lke_evidence_pick": Case(_question(1), _only(_UNIT_ANSWERERS, 200)),
    "lke_evidence_remove": Case(_attached_evidence, _only(_UNIT_ANSWERERS, 302), method="post"),
}


def _notification_of_anggota1(world: World) -> dict:
    import datetime

    from notifications.models import Notification

    notification = Notification.objects.create(
        recipient=world.anggota1,
        programme=world.programme,
        kind=Notification.Kind.OVERDUE,
        item_type=Notification.ItemType.PROGRAMME,
        item_id=world.programme.pk,
        day=datetime.date(2026, 12, 1),
        title="Rencana aksi terlambat",
        body="-",
        link="/",
    )
    return {"notification_id": notification.pk}


# Everyone signed in has their own notifications; only the recipient reaches one of them.
NOTIFICATION_MATRIX = {
    "notification_list": Case(lambda w: {}, statuses(200)),
    "notification_badge": Case(lambda w: {}, statuses(200)),
    "notification_preferences": Case(lambda w: {}, statuses(200)),
    "notification_read_all": Case(lambda w: {}, statuses(302), method="post"),
    "notification_read": Case(
        _notification_of_anggota1, statuses(404, anggota1=302), method="post"
    ),
}


def _export_job(world: World) -> dict:
    from django.core.files.base import ContentFile

    from reports.models import ExportJob

    job = ExportJob.objects.create(
        programme=world.programme, kind="lke_xlsx", status="done", progress=100, filename="l.xlsx"
    )
    job.file.save("l.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    return {**programme_kwargs(world), "job_id": job.pk}


# Exports: everyone who sees the programme sees and downloads them; those who may export the
# programme's data ask for them; the coordinator and the TPI import LKE workbooks.
REPORTS_MATRIX = {
    "reports_index": Case(programme_kwargs, read_by_viewers()),
    "export_create": Case(
        programme_kwargs,
        changed_by(("koordinator", "pimpinan", "unit_admin", "site_admin"), 302),
        method="post",
        data=lambda w: {"kind": "lke_xlsx"},
    ),
    "export_status": Case(_export_job, read_by_viewers()),
    "export_download": Case(_export_job, read_by_viewers()),
    "lke_import": Case(programme_kwargs, changed_by(("koordinator", "tpi", "site_admin"))),
}


def _published_page(world: World, **extra) -> dict:
    """The programme's public page, published with every block and the pakta file."""
    from pokja.models import Evidence
    from publicpage.models import BLOCK_FIELDS
    from publicpage.services import public_page_update

    pakta = Evidence.objects.get(pk=_pakta_evidence(world)["pk"])
    public_page_update(
        actor=world.coordinator,
        programme=world.programme,
        published=True,
        blocks=set(BLOCK_FIELDS),
        pakta_document=pakta,
    )
    return {**programme_kwargs(world), **extra}


def _service_standard(world: World) -> dict:
    from publicpage.services import service_standard_add

    standard = service_standard_add(
        actor=world.coordinator, programme=world.programme, service="SKCK"
    )
    return {**programme_kwargs(world), "standard_id": standard.pk}


def _complaint_channel(world: World) -> dict:
    from publicpage.services import complaint_channel_add

    channel = complaint_channel_add(
        actor=world.coordinator, programme=world.programme, name="WhatsApp", contact="0811"
    )
    return {**programme_kwargs(world), "channel_id": channel.pk}


# The unit's public page answers everyone alike once published; its settings are read by
# whoever reads everything the coordinator reads and changed by the coordinator.
PUBLISHERS = ("koordinator", "site_admin")
PUBLIC_PAGE_MATRIX = {
    "public_page": Case(_published_page, statuses(200, anonymous=200)),
    "public_pakta": Case(_published_page, statuses(200, anonymous=200)),
    "public_badge": Case(lambda w: _published_page(w, fmt="svg"), statuses(200, anonymous=200)),
    "public_page_settings": Case(programme_kwargs, MANAGEMENT_READERS),
    "public_page_preview": Case(programme_kwargs, MANAGEMENT_READERS),
    "public_standard_add": Case(
        programme_kwargs,
        changed_by(PUBLISHERS, 302),
        method="post",
        data=lambda w: {"standard-service": "SKCK"},
    ),
    "public_standard_delete": Case(_service_standard, changed_by(PUBLISHERS, 302), method="post"),
    "public_channel_add": Case(
        programme_kwargs,
        changed_by(PUBLISHERS, 302),
        method="post",
        data=lambda w: {"channel-name": "WhatsApp", "channel-contact": "0811"},
    ),
    "public_channel_delete": Case(_complaint_channel, changed_by(PUBLISHERS, 302), method="post"),
}


# The agency's proposal to the national portal: its agency ZI administrators (on the parent
# unit) and site administrators; nobody else sees these pages (404), oversight included.
AGENCY_ADMINS = ("agency", "site_admin")


def agency_kwargs(world: World) -> dict:
    return {"unit_code": world.parent_unit.code}


def _agency_year(world: World) -> dict:
    return {**agency_kwargs(world), "year": world.programme.year}


def _agency_programme(world: World) -> dict:
    return {**_agency_year(world), "programme_id": world.programme.pk}


def _agency_child_programme(world: World) -> dict:
    """A programme of a unit below the world's agency (the mirror's agency is a unit whose
    own programme the world holds, which no agency proposes)."""
    from tests.factories import UnitFactory, make_programme

    child = UnitFactory(code=f"{world.parent_unit.code}-ANAK", parent=world.parent_unit)
    programme = make_programme(unit=child, year=world.programme.year)
    return {**_agency_year(world), "programme_id": programme.pk}


def _agency_token(world: World) -> dict:
    import secrets

    from portalrb.models import ApiToken

    token = ApiToken.objects.create(
        agency=world.parent_unit, name="Portal", digest=secrets.token_hex(32), prefix="zirb_"
    )
    return {**agency_kwargs(world), "token_id": token.pk}


def for_agency_admins(ok: int) -> dict[str, int]:
    return statuses(404, **dict.fromkeys(AGENCY_ADMINS, ok))


PORTALRB_MATRIX: dict[str, Case] = {
    "portalrb_agency": Case(agency_kwargs, for_agency_admins(302)),
    "portalrb_proposal": Case(_agency_year, for_agency_admins(200)),
    "portalrb_prerequisites": Case(
        _agency_year,
        for_agency_admins(302),
        method="post",
        data=lambda w: {"audit_opinion": "WTP", "sakip_grade": "BB"},
    ),
    "portalrb_proposed_unit": Case(
        _agency_programme,
        for_agency_admins(302),
        method="post",
        data=lambda w: {f"p{w.programme.pk}-category": "WBK"},
        foreign=_agency_child_programme,
    ),
    "portalrb_confirm": Case(_agency_year, for_agency_admins(302), method="post"),
    "portalrb_tokens": Case(agency_kwargs, for_agency_admins(200)),
    "portalrb_token_revoke": Case(_agency_token, for_agency_admins(302), method="post"),
    "portalrb_fetch_log": Case(agency_kwargs, for_agency_admins(200)),
    # The menu's entry: everyone signed in gets it (empty for those who act for no agency).
    "portalrb_menu": Case(lambda w: {}, statuses(200)),
}


MATRIX: dict[str, Case] = {
    "home": Case(lambda w: {}, statuses(200)),
    "programme_create": Case(lambda w: {}, statuses(403, unit_admin=200, site_admin=200)),
    "programme_detail": Case(programme_kwargs, read_by_viewers()),
    "programme_settings": Case(programme_kwargs, MANAGEMENT_READERS),
    "programme_roles": Case(
        programme_kwargs,
        read_by_viewers(**{r: 403 for r in VIEWERS if r not in ("unit_admin", "site_admin")}),
    ),
    "programme_role_remove": Case(
        _role_of_anggota1,
        read_by_viewers(
            **{r: 403 for r in VIEWERS if r not in ("unit_admin", "site_admin")},
            unit_admin=302,
            site_admin=302,
        ),
        method="post",
    ),
    "programme_invitation_withdraw": Case(
        _invitation,
        read_by_viewers(
            **{r: 403 for r in VIEWERS if r not in ("unit_admin", "site_admin")},
            unit_admin=302,
            site_admin=302,
        ),
        method="post",
    ),
    # Everyone signed in has their own invitations; only the invitee (this world's outsider,
    # an account of another unit) answers one.
    "invitation_list": Case(lambda w: {}, statuses(200)),
    "invitation_badge": Case(lambda w: {}, statuses(200)),
    "invitation_accept": Case(
        lambda w: {"invitation_id": _invitation(w)["invitation_id"]},
        statuses(404, outsider=302),
        method="post",
        foreign=lambda w: {"invitation_id": _invitation(w, invitee=UserFactory())["invitation_id"]},
    ),
    "invitation_decline": Case(
        lambda w: {"invitation_id": _invitation(w)["invitation_id"]},
        statuses(404, outsider=302),
        method="post",
        foreign=lambda w: {"invitation_id": _invitation(w, invitee=UserFactory())["invitation_id"]},
    ),
    "pokja_detail": Case(lambda w: {**programme_kwargs(w), "number": 1}, read_by_viewers()),
    "evidence_download": Case(_pakta_evidence, read_by_viewers()),
    "audit_trail": Case(programme_kwargs, MANAGEMENT_READERS),
    "unit_people": Case(unit_kwargs, for_unit_admins(200)),
    "unit_person_create": Case(unit_kwargs, for_unit_admins(200)),
    "unit_person_detail": Case(_person, for_unit_admins(200)),
    "unit_person_role_give": Case(_person, for_unit_admins(200), method="post"),
    "unit_person_role_remove": Case(_person_programme_role, for_unit_admins(302), method="post"),
    "unit_person_unit_role_remove": Case(_person_unit_role, for_unit_admins(302), method="post"),
    "unit_person_set_active": Case(
        _person, for_unit_admins(302), method="post", data=lambda w: {"active": "0"}
    ),
    "unit_person_password_reset": Case(_person, for_unit_admins(302), method="post"),
    "unit_person_unlock": Case(_person, for_unit_admins(302), method="post"),
    "survey_list": Case(programme_kwargs, read_by_viewers()),
    "survey_create": Case(programme_kwargs, SURVEY_MANAGERS),
    "official_figure": Case(_official_figure, MANAGEMENT_READERS),
    "survey_detail": Case(_survey, read_by_viewers()),
    "survey_edit": Case(_survey, MANAGEMENT_READERS),
    "survey_preview": Case(_survey, MANAGEMENT_READERS),
    "survey_codes": Case(_survey, MANAGEMENT_READERS),
    "survey_poster": Case(_survey, MANAGEMENT_READERS),
    "survey_qr": Case(_survey, MANAGEMENT_READERS),
    "survey_import": Case(_survey, SURVEY_MANAGERS),
    "survey_import_template": Case(_survey, SURVEY_MANAGERS),
    "survey_export_responses": Case(lambda w: {**_survey(w), "fmt": "csv"}, SURVEY_EXPORTERS),
    "survey_export_results": Case(lambda w: {**_survey(w), "fmt": "xlsx"}, SURVEY_EXPORTERS),
    "survey_public": Case(_public_survey, RESPONDENTS_LINK),
    "survey_thanks": Case(_public_survey, RESPONDENTS),
    **PORTALRB_MATRIX,
    **PLAN_MATRIX,
    **LKE_MATRIX,
    **WORKSHEET_MATRIX,
    **NOTIFICATION_MATRIX,
    **REPORTS_MATRIX,
    **PUBLIC_PAGE_MATRIX,
}

# URLs whose object parameters are numbered within the programme (Pokja 1..6, question
# numbers): the same number in another programme is this programme's own object, so there is
# no foreign id to try through this programme's URL (the other programme's URL is still tried).
PROGRAMME_LOCAL_IDS = {
    "pokja_detail",
    "pokja_plan",
    "pokja_plan_monitoring",
    "pokja_plan_template",  # and a file format
    "pokja_plan_export",
    "pokja_plan_import",
    "plan_item_create",
    "pokja_plan_drafts",
    "pokja_dashboard",
    "plan_draft_accept",  # and a question number
    "lke_section",  # section codes
    "lke_section_status",
    "lke_answer_unit",  # question numbers
    "lke_answer_tpi",
    "lke_evidence_link",
    "lke_evidence_pick",
    "lke_evidence_upload",
    "official_figure",  # a question number
    "public_badge",  # a file format
}

# Reachable without signing in, answering 200 to everyone.
PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "healthz",
    "favicon",
    "portalrb_openapi",  # the API's description, which holds no data
    "portalrb_openapi_file",
}

# Not walked: Django's own admin (staff only, tested by Django), views that need a token
# or are POST-only plumbing of Django itself.
EXEMPT_PREFIXES = ("admin:",)
EXEMPT = {
    "logout",  # POST-only; signs out whoever asks
    "password_change",  # Django's own view, login required
    "password_change_done",
    "password_reset_confirm",  # needs a one-time token
    "set_language",  # Django's set_language (a cookie), storing a signed-in person's choice
    # The national portal's API: a Bearer token, never a session (tests/portalrb).
    "portalrb_unit_wbk",
    "portalrb_unit_wbbm",
    "portalrb_unit_answers",
    "portalrb_evidence",  # a signed, expiring link from the API's answers
    "portalrb_evidence_file",
}
