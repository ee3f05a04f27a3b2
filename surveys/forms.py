from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from figures.date_fields import DateField, bound_dates_to_programme
from surveys.instrument_spec import InstrumentSpec
from surveys.models import Instrument, Survey, localized
from surveys.services import Answers
from zi_tracker.forms import LONG_TEXT_LENGTH, Form, QueryForm

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def latest_instruments():
    """The newest stored version of every instrument (new surveys start on these)."""
    newest: dict[str, int] = {}
    for pk, slug in Instrument.objects.order_by("slug", "-version").values_list("pk", "slug"):
        newest.setdefault(slug, pk)
    return Instrument.objects.filter(pk__in=newest.values()).defer("definition").order_by("slug")


class SurveyStartQuery(QueryForm):
    """``?instrument=<code>``: the instrument a new survey starts on (the instruments page's
    "Start a survey" links)."""

    instrument = forms.ModelChoiceField(
        label=_("Instrument"),
        queryset=Instrument.objects.none(),
        to_field_name="slug",
        required=False,
    )

    def __init__(self, query, **kwargs):
        super().__init__(query, **kwargs)
        self.fields["instrument"].queryset = latest_instruments()


def services_to_text(services: list[dict[str, str]]) -> str:
    return "\n".join(f"{service['code']}: {service['name']}" for service in services)


def parse_services(text: str) -> list[dict[str, str]]:
    """One service per line, 'code: Name' or just 'Name' (the code is then made from it)."""
    services = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        code, separator, name = line.partition(":")
        if separator and code.strip() and " " not in code.strip():
            code, name = code.strip().lower(), name.strip()
        else:
            name = line
            code = slugify(name)[:40].strip("-")
        if not code:
            raise ValidationError(
                _("Line %(line)s: write a name with letters or digits, or 'code: Name'."),
                params={"line": number},
            )
        if not name:
            raise ValidationError(
                _("Line %(line)s: the service %(code)s needs a name after the colon."),
                params={"line": number, "code": code},
            )
        services.append({"code": code, "name": name})
    return services


class SurveyForm(Form):
    instrument = forms.ModelChoiceField(
        label=_("Instrument"), queryset=Instrument.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    start_date = DateField(label=_("First day"))
    end_date = DateField(
        label=_("Last day"),
        help_text=_("The survey closes by itself after this day."),
    )
    population = forms.IntegerField(
        label=_("Service users in the period"),
        min_value=1,
        max_value=100_000_000,
        help_text=_(
            "How many people receive a service in the period; the target number of "
            "respondents follows from it (Krejcie-Morgan, at least the instrument's minimum)."
        ),
    )
    services = forms.CharField(
        label=_("Service types"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=LONG_TEXT_LENGTH,
        help_text=_(
            "One per line, e.g. 'sim: SIM (driving licence)'. The code before the colon is "
            "what paper survey files use; keep it when renaming a service."
        ),
    )
    mode = forms.ChoiceField(
        label=_("One response per respondent"),
        choices=Survey.Mode.choices,
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(label=_("Status"), choices=Survey.Status.choices)

    def __init__(self, *args, instrument_queryset, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        bound_dates_to_programme(self, year)
        self.fields["instrument"].queryset = instrument_queryset
        self.fields["instrument"].label_from_instance = lambda i: (
            f"{i.title} ({i.slug} v{i.version})"
        )

    def clean_services(self):
        return parse_services(self.cleaned_data.get("services") or "")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day must not be before the first."))
        return cleaned


class CodeBatchForm(Form):
    count = forms.IntegerField(
        label=_("Number of codes"),
        min_value=1,
        max_value=2000,
        initial=48,
        help_text=_("48 codes fill two A4 sheets."),
    )


class ImportForm(Form):
    file = forms.FileField(
        label=_("CSV file of paper responses"),
        help_text=_("UTF-8 CSV, comma or semicolon separated; at most 5 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class OfficialFigureForm(Form):
    index = forms.DecimalField(
        label=_("Index (0 to 4)"),
        min_value=Decimal(0),
        max_value=Decimal(4),
        max_digits=6,
        decimal_places=4,
        localize=True,
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("Who published it and where, e.g. 'TPN/BPS, letter no. ... of ...'."),
    )


class PublicSurveyForm(Form):
    """A respondent's answers: validated against the instrument, rendered by hand."""

    submission = forms.UUIDField(widget=forms.HiddenInput)
    # Honeypot: hidden from people by CSS and from assistive technology; bots fill it.
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, survey: Survey, spec: InstrumentSpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.spec = spec
        if survey.uses_codes:
            self.fields["code"] = forms.CharField(
                label=_("Code from the service counter"), max_length=20
            )
        for profile_field in spec.profile:
            if profile_field.kind == "service":
                if survey.services:
                    self.fields[profile_field.code] = forms.ChoiceField(
                        label=localized(profile_field.label),
                        choices=[(s["code"], s["name"]) for s in survey.services],
                        error_messages={"required": _("Choose the service you received.")},
                    )
                continue
            self.fields[profile_field.code] = forms.ChoiceField(
                label=localized(profile_field.label),
                choices=[(o.code, localized(o.label)) for o in profile_field.options],
                required=False,
            )
        for item in spec.items:
            self.fields[item.code] = forms.TypedChoiceField(
                label=localized(item.question),
                choices=[(str(p.value), localized(p.label)) for p in item.labels],
                coerce=int,
                error_messages={"required": _("Choose an answer.")},
            )

    @property
    def service_field(self) -> str | None:
        for profile_field in self.spec.profile:
            if profile_field.kind == "service" and profile_field.code in self.fields:
                return profile_field.code
        return None


def answers_from_form(form: PublicSurveyForm) -> tuple[Answers, str | None]:
    """The answers (and the code, in code mode) of a valid public form."""
    data = form.cleaned_data
    spec = form.spec
    service_field = form.service_field
    answers = Answers(
        submission_id=data["submission"],
        items={code: data[code] for code in spec.item_codes},
        profile={f.code: data.get(f.code) or None for f in spec.profile if f.kind == "choice"},
        service=data.get(service_field, "") if service_field else "",
    )
    return answers, data.get("code")


def read_posted_answers(
    post: Mapping[str, str], survey: Survey, spec: InstrumentSpec
) -> tuple[Answers, str | None] | None:
    """The answers of a complete, well-formed form, read without building the form class.

    Every submission comes this way, so it is kept cheap. It accepts only what
    PublicSurveyForm accepts, with the same result (a property test holds them together),
    and answers None for anything else: the form then names each problem.
    """
    try:
        submission = uuid.UUID(post.get("submission") or "")
    except ValueError:
        return None
    values = {str(value): value for value in spec.scale.values}  # exactly "1".."4"
    items: dict[str, int | None] = {}
    for code in spec.item_codes:
        value = values.get(post.get(code) or "")
        if value is None:
            return None
        items[code] = value
    profile: dict[str, str | None] = {}
    service = ""
    for field in spec.profile:
        raw = post.get(field.code) or ""
        if field.kind == "service":
            if survey.services:
                if raw not in survey.service_codes():
                    return None
                service = raw
            continue
        if raw and raw not in {option.code for option in field.options}:
            return None
        profile[field.code] = raw or None
    code = None
    if survey.uses_codes:
        code = (post.get("code") or "").strip()
        if not code or len(code) > 20:
            return None
    return Answers(submission_id=submission, items=items, profile=profile, service=service), code
