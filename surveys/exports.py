"""Exports of responses and results as CSV and XLSX, through the project's one writer
(`pokja.spreadsheets`): text a spreadsheet would run as a formula (starting with = + - @,
or a tab or carriage return) stays text, with an apostrophe in CSV and the quote prefix
in XLSX.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pokja import spreadsheets
from surveys.models import Survey, SurveyResponse, localized
from surveys.selectors import SurveyReport


def response_rows(survey: Survey, *, labels: bool) -> Iterator[list[Any]]:
    """A header row, then one row per response (oldest first), raw codes or labels."""
    spec = survey.spec
    choice_fields = [f for f in spec.profile if f.kind == "choice"]
    service_field = next((f for f in spec.profile if f.kind == "service"), None)
    channels = dict(SurveyResponse.Channel.choices)
    if labels:
        yield [
            _("No."),
            _("Date"),
            _("Channel"),
            localized(service_field.label) if service_field else _("Service"),
            *(localized(f.label) for f in choice_fields),
            *(f"{item.code} {localized(item.question)}" for item in spec.items),
        ]
    else:
        yield [
            "no",
            "submitted_on",
            "channel",
            service_field.code if service_field else "service",
            *(f.code for f in choice_fields),
            *spec.item_codes,
        ]
    option_labels = {f.code: {o.code: localized(o.label) for o in f.options} for f in choice_fields}
    answer_labels = {
        item.code: {p.value: localized(p.label) for p in item.labels} for item in spec.items
    }
    rows = (
        SurveyResponse.objects.filter(survey=survey)
        .order_by("pk")
        .values_list("submitted_on", "channel", "service", "profile", "answers")
        .iterator(chunk_size=2000)
    )
    for number, (day, channel, service, profile, answers) in enumerate(rows, start=1):
        if labels:
            yield [
                number,
                day,
                str(channels.get(channel, channel)),
                survey.service_name(service) if service else "",
                *(option_labels[f.code].get(profile.get(f.code), "") for f in choice_fields),
                *(answer_labels[c].get(answers.get(c), "") for c in spec.item_codes),
            ]
        else:
            yield [
                number,
                day,
                channel,
                service,
                *(profile.get(f.code, "") for f in choice_fields),
                *(answers.get(c, "") for c in spec.item_codes),
            ]


def result_sheets(report: SurveyReport) -> dict[str, list[list[Any]]]:
    """The results page as tables: summary, items, services, profile."""
    result = report.result
    summary: list[list[Any]] = [
        [_("Figure"), _("Value")],
        [_("Survey"), report.survey.title],
        [_("Instrument"), f"{report.spec.slug} v{report.survey.instrument.version}"],
        [_("Period"), f"{report.survey.start_date} - {report.survey.end_date}"],
        [_("Respondents"), report.respondents],
        [_("Target respondents"), report.target],
        [_("Minimum respondents"), report.spec.minimum_respondents],
        [_("Index"), report.index_shown],
    ]
    if result.ikm is not None:
        summary += [
            [_("IKM"), result.ikm.shown],
            [_("Service quality"), result.ikm.quality],
            [_("Category"), localized(result.ikm.category)],
        ]
    if report.lke_score_shown is not None:
        summary.append(
            [_("LKE score (question %(q)s)") % {"q": result.lke_question}, report.lke_score_shown]
        )
    if report.interval_shown is not None:
        low, high = report.interval_shown
        summary.append([_("Confidence interval, 95%"), f"{low} - {high}"])
    scale = list(report.spec.scale.values)
    items: list[list[Any]] = [
        [
            pgettext("survey question", "Item"),
            _("Element"),
            _("Question"),
            _("Answers"),
            _("Mean"),
            *(str(value) for value in scale),
        ]
    ]
    dimension_names = {d.code: localized(d.name) for d in report.spec.dimensions}
    for item in report.items:
        items.append(
            [
                item.code,
                dimension_names[item.dimension],
                localized(item.question),
                item.answered,
                item.mean_shown,
                *(value.count for value in item.values),
            ]
        )
    services: list[list[Any]] = [[_("Service"), _("Code"), _("Respondents"), _("Percent")]]
    services += [[s.label, s.code, s.count, s.percent] for s in report.services]
    services.append([_("Not given"), "", report.services_unanswered, ""])
    profile: list[list[Any]] = [[_("Question"), _("Answer"), _("Respondents"), _("Percent")]]
    for group in report.profile:
        profile += [[group.label, g.label, g.count, g.percent] for g in group.groups]
        profile.append([group.label, _("Not given"), group.unanswered, ""])
    return {
        _("Summary"): summary,
        pgettext("survey questions", "Items"): items,
        _("Services"): services,
        _("Respondents"): profile,
    }


def result_rows(report: SurveyReport) -> Iterator[list[Any]]:
    """All result tables in one CSV: each row starts with its table's name."""
    for name, rows in result_sheets(report).items():
        for row in rows:
            yield [name, *row]


def csv_response(file_name: str, rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """A streamed CSV download (UTF-8 with a byte-order mark, which Excel needs)."""
    return spreadsheets.csv_streaming_response(rows, file_name)


def xlsx_response(file_name: str, sheets: dict[str, Iterable[Sequence[Any]]]) -> HttpResponse:
    workbook = spreadsheets.xlsx_workbook()
    for title, rows in sheets.items():
        sheet = spreadsheets.xlsx_sheet(workbook, title)
        for row in rows:
            spreadsheets.xlsx_append(sheet, row)
    return spreadsheets.xlsx_response(workbook, file_name)
