"""A programme with something in every block, and some internal data the page must never
show (a decree number, a plan item's title and comment, an evidence file, a phone)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from pokja.services import action_plan_comment_add, evidence_add_file
from pokja.services.registers import change_agent_create
from publicpage import services
from publicpage.models import BLOCK_FIELDS
from tests.factories import make_plan_item
from tests.surveys.factories import add_responses, make_survey, uniform

SECRETS = (
    "Kep/SECRET/2026",  # a change agent's decree number
    "Rapat internal rahasia",  # a plan item's title
    "Catatan koordinator rahasia",  # a comment on it
    "Notulen rapat internal",  # an evidence file's title
    "0812-SECRET",  # the coordinator's phone
    "koordinator@example.test",
)


def fill_programme(world, *, respondents: int = 3, agents: int = 1, items: int = 1) -> dict:
    programme = world.programme
    coordinator = world.coordinator
    coordinator.phone = "0812-SECRET"
    coordinator.email = "koordinator@example.test"
    coordinator.save()
    programme.pencanangan_date = datetime.date(2026, 1, 15)
    programme.save()
    for n in range(agents):
        change_agent_create(
            actor=coordinator,
            programme=programme,
            name=f"Bripka Agen {n}",
            position="Kanit Pelayanan",
            decree_number="Kep/SECRET/2026",
        )
    for n in range(items):
        item = make_plan_item(programme, 1, actor=coordinator, title="Rapat internal rahasia")
        if n == 0:
            action_plan_comment_add(
                actor=coordinator, item=item, text="Catatan koordinator rahasia"
            )
    make_plan_item(
        programme,
        2,
        actor=coordinator,
        title="Rapat internal rahasia",
        start_date=datetime.date(2026, 1, 1),
        due_date=datetime.date(2026, 1, 2),
    )
    internal = evidence_add_file(
        actor=coordinator,
        programme=programme,
        pokja=world.pokjas[1],
        uploaded=SimpleUploadedFile(
            "notulen.pdf", b"%PDF-1.4\n% notulen\n", content_type="application/pdf"
        ),
        title="Notulen rapat internal",
    )
    pakta = evidence_add_file(
        actor=coordinator,
        programme=programme,
        pokja=world.pokjas[1],
        uploaded=SimpleUploadedFile(
            "pakta.pdf", b"%PDF-1.4\n% pakta\n", content_type="application/pdf"
        ),
        title="Pakta integritas",
    )
    spak = make_survey(programme, "spak-2021", title="SPAK Polres Alpha")
    add_responses(spak, [uniform(spak, 4)] * respondents)
    skm = make_survey(programme, "skm-2017", title="SKM Polres Alpha")
    add_responses(skm, [uniform(skm, 3)] * respondents)
    services.service_standard_add(
        actor=coordinator,
        programme=programme,
        service="Penerbitan SKCK",
        requirements="KTP",
        duration="1 hari",
        cost="Rp 30.000",
        product="SKCK",
    )
    services.complaint_channel_add(
        actor=coordinator,
        programme=programme,
        name="WhatsApp Pengaduan",
        contact="0811-0000-110",
        hours="24 jam",
    )
    return {"pakta": pakta, "internal": internal, "spak": spak, "skm": skm}


def publish(world, blocks=BLOCK_FIELDS, *, published: bool = True, pakta=None):
    return services.public_page_update(
        actor=world.coordinator,
        programme=world.programme,
        published=published,
        blocks=set(blocks),
        pakta_document=pakta,
    )
