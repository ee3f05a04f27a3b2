"""The one date field and the one datetime field of every form of the application.

``<input type="date">`` and ``<input type="datetime-local">`` read and send ISO values
(2018-03-21, 2018-03-21T09:30) whatever the page's language. Django's own widgets write the
active language's first input format instead (21-03-2018 in Indonesian), which a browser
cannot read: the field showed empty, and saving the form wiped the stored date or refused to
save. These widgets always write ISO, and the fields read ISO first, then the language's own
formats (for someone typing into a browser without a date picker).

Every date a user enters also has a plausible range. Dates of a programme's records (its
pencanangan, plan items, audit findings, change agents, surveys) lie from 1 January
``YEARS_BEFORE`` years before the programme's evaluation year to 31 December ``YEARS_AFTER``
years after it; with no programme at hand, from ``EARLIEST`` to ``LATEST``. A date outside is
refused with a message naming the field and the range, so a mistyped year (9999, 0001) never
reaches the database, where every date derived from it would overflow.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from figures.formatting import day

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"
ISO_DATETIME_SECONDS = "%Y-%m-%dT%H:%M:%S"

# A programme's dates: its evaluation year, the years of building ZI before it (the
# pencanangan, old audit findings, change agents appointed earlier) and a little after.
YEARS_BEFORE = 10
YEARS_AFTER = 2
# Without a programme (a filter over everything).
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def programme_date_range(year: int) -> tuple[datetime.date, datetime.date]:
    """The dates a user may enter for a programme of evaluation year ``year``."""
    return datetime.date(year - YEARS_BEFORE, 1, 1), datetime.date(year + YEARS_AFTER, 12, 31)


def out_of_range_error(label, earliest: datetime.date, latest: datetime.date) -> ValidationError:
    return ValidationError(
        _("%(field)s: enter a date from %(earliest)s to %(latest)s."),
        code="date_out_of_range",
        params={
            "field": label,
            "earliest": day(earliest),
            "latest": day(latest),
        },
    )


def check_date_range(
    value: datetime.date | datetime.datetime | None,
    label,
    earliest: datetime.date = EARLIEST,
    latest: datetime.date = LATEST,
) -> None:
    """Raise the range error for ``value`` outside ``earliest``..``latest`` (None passes)."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not earliest <= day <= latest:
        raise out_of_range_error(label, earliest, latest)


def years_after(day: datetime.date, years: int) -> datetime.date | None:
    """The same day ``years`` later (28 February for 29 February), or None past year 9999."""
    year = day.year + years
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        return None
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


class _IsoFirst:
    """Input formats: ISO first, then the active language's (read when a value is parsed)."""

    def __init__(self, iso: tuple[str, ...], format_type: str):
        self.iso = iso
        self.format_type = format_type

    def __iter__(self):
        yield from self.iso
        for pattern in get_format(self.format_type):
            if pattern not in self.iso:
                yield pattern


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=ISO_DATETIME)


class _RangeMixin:
    earliest: datetime.date = EARLIEST
    latest: datetime.date = LATEST

    def __init__(self, *args, earliest=None, latest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_range(earliest or EARLIEST, latest or LATEST)

    def set_range(self, earliest: datetime.date, latest: datetime.date) -> None:
        self.earliest, self.latest = earliest, latest
        # The browser's date picker offers only these days.
        self.widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())

    def validate(self, value):
        super().validate(value)
        check_date_range(value, self.label or "", self.earliest, self.latest)


class DateField(_RangeMixin, forms.DateField):
    widget = DateInput
    input_formats = _IsoFirst((ISO_DATE,), "DATE_INPUT_FORMATS")

    def __init__(self, *args, widget=None, **kwargs):
        # A widget given by a ModelForm's Meta still has to be the ISO one.
        if widget is not None and not isinstance(widget, DateInput):
            widget = DateInput(attrs=getattr(widget, "attrs", None))
        super().__init__(*args, widget=widget, **kwargs)


class DateTimeField(_RangeMixin, forms.DateTimeField):
    widget = DateTimeInput
    input_formats = _IsoFirst((ISO_DATETIME, ISO_DATETIME_SECONDS), "DATETIME_INPUT_FORMATS")

    def __init__(self, *args, widget=None, **kwargs):
        if widget is not None and not isinstance(widget, DateTimeInput):
            widget = DateTimeInput(attrs=getattr(widget, "attrs", None))
        super().__init__(*args, widget=widget, **kwargs)


def date_formfield(db_field: models.Field, **kwargs):
    """A ModelForm's ``formfield_callback``: model dates become the shared fields."""
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    return db_field.formfield(**kwargs)


def bound_dates_to_programme(form: forms.BaseForm, year: int) -> None:
    """Give every date field of ``form`` the range of a programme of ``year``."""
    earliest, latest = programme_date_range(year)
    for field in form.fields.values():
        if isinstance(field, _RangeMixin):
            field.set_range(earliest, latest)
