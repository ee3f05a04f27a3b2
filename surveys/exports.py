"""Exports of responses and results as CSV and XLSX.

Text that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage
return) is written as text: prefixed with an apostrophe in CSV, typed as a string in XLSX.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from surveys.models import Survey, SurveyResponse, localized
from surveys.selectors import SurveyReport

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


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


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(file_name: str, rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """A streamed CSV download (UTF-8 with a byte-order mark, which Excel needs)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([csv_cell(_plain(value)) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def xlsx_response(file_name: str, sheets: dict[str, Iterable[Sequence[Any]]]) -> HttpResponse:
    workbook = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _xlsx_cell(sheet, value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)  # shown figures (two decimals): a number the sheet can sum
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    return value
