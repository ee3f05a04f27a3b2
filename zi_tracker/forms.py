"""What every form of the project shares: bounded text, and GET parameters read as forms.

Every form derives from ``Form`` or ``ModelForm`` below (a test walks them all). Each text
field has a length no person typing would reach; the message when it is passed names the
field and says the figures in the reader's language.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Lengths users never reach; a short title, a paragraph-sized note, a page of description.
TITLE_LENGTH = 200
NOTE_LENGTH = 2000
LONG_TEXT_LENGTH = 5000
# Long enough for any passphrase; hashing a megabyte on every attempt would be a cost anyone
# could impose.
PASSWORD_LENGTH = 256
# The largest any text field may declare (the form walk refuses a field without a bound).
TEXT_LENGTH_CEILING = 10000


def _number(value: int) -> str:
    return number_format(value, use_l10n=True, force_grouping=True)


@deconstructible
class TextLengthValidator:
    """At most ``limit`` characters, said with the field's name: "Description: at most 5.000
    characters (this text has 12.000)."."""

    code = "max_length"

    def __init__(self, limit: int, label):
        self.limit, self.label = limit, label

    def __call__(self, value):
        length = len(value)
        if length > self.limit:
            raise ValidationError(
                _("%(field)s: at most %(limit)s characters (this text has %(length)s).")
                % {"field": self.label, "limit": _number(self.limit), "length": _number(length)},
                code=self.code,
            )

    def __eq__(self, other):
        return isinstance(other, TextLengthValidator) and (self.limit, str(self.label)) == (
            other.limit,
            str(other.label),
        )


class BoundedTextMixin:
    """Gives each bounded text field the validator above instead of Django's nameless one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            limit = getattr(field, "max_length", None)
            if not isinstance(field, forms.CharField) or limit is None:
                continue
            label = field.label or name.replace("_", " ").capitalize()
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ] + [TextLengthValidator(int(limit), label)]


class Form(BoundedTextMixin, forms.Form):
    pass


class ModelForm(BoundedTextMixin, forms.ModelForm):
    pass


class QueryForm(Form):
    """A page's GET parameters (filters, choices in the address).

    Bound only when the address carries one of its fields, so a bare page is not "invalid".
    A malformed or out-of-range parameter is dropped (the page shows as if it were not given)
    and told on the page through ``problems``; nothing a parameter holds makes a page fail.
    """

    def __init__(self, query=None, **kwargs):
        bound = query is not None and any(name in query for name in self.base_fields)
        super().__init__(query if bound else None, **kwargs)

    def valid_data(self) -> dict:
        """The cleaned values of the fields that are valid (the others left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return dict(self.cleaned_data)

    @property
    def problems(self) -> list[str]:
        """One line per rejected parameter, naming its field."""
        if not self.is_bound or self.is_valid():
            return []
        lines = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for message in errors:
                lines.append(
                    message
                    if not label or message.startswith(f"{label}:")
                    else f"{label}: {message}"
                )
        return lines
