from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pokja.models import Programme, ProgrammeRole, Unit, UnitRole, User
from zi_tracker.forms import PASSWORD_LENGTH, Form, QueryForm

UNIT_ADMIN = "unit-admin"
UNIT_OVERSIGHT = "unit-oversight"
UNIT_KINDS = {UNIT_ADMIN: UnitRole.Kind.ADMIN, UNIT_OVERSIGHT: UnitRole.Kind.OVERSIGHT}
POKJA_NUMBERS = range(1, 7)


class RoleFields(Form):
    """A role in one of the unit's programmes, or over the whole unit."""

    role = forms.ChoiceField(label=_("Role"))
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        help_text=_("For roles in a programme (not for unit roles)."),
    )
    pokja_number = forms.TypedChoiceField(
        label=_("Pokja (for chairs and members)"),
        choices=[("", "—"), *((n, f"Pokja {n}") for n in POKJA_NUMBERS)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, unit: Unit, allow_oversight: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        programmes = unit.programmes.select_related("unit").order_by("-year")
        self.fields["programme"].queryset = programmes
        latest = programmes.first()
        if latest is not None and not self.is_bound:
            self.initial.setdefault("programme", latest.pk)
        choices = [("", "—"), *ProgrammeRole.Kind.choices, (UNIT_ADMIN, UnitRole.Kind.ADMIN.label)]
        # Oversight reads the units below too, beyond what a unit's administrator holds.
        if allow_oversight:
            choices.append((UNIT_OVERSIGHT, UnitRole.Kind.OVERSIGHT.label))
        self.fields["role"].choices = choices

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role and role not in UNIT_KINDS:
            if not cleaned.get("programme"):
                self.add_error("programme", _("Choose the programme of this role."))
            if role in ProgrammeRole.POKJA_KINDS and not cleaned.get("pokja_number"):
                self.add_error("pokja_number", _("Choose the Pokja for a chair or member."))
        return cleaned

    @property
    def unit_role_kind(self) -> str | None:
        return UNIT_KINDS.get(self.cleaned_data.get("role"))

    def pokja(self):
        number = self.cleaned_data.get("pokja_number")
        programme = self.cleaned_data.get("programme")
        if self.cleaned_data.get("role") not in ProgrammeRole.POKJA_KINDS or not number:
            return None
        return programme.pokjas.filter(number=number).first() if programme else None


class RoleGiveForm(RoleFields):
    pass


class PersonCreateForm(RoleFields):
    SEND_LINK = "link"
    SET_PASSWORD = "password"  # noqa: S105 - a choice value, not a password

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; used to sign in."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    password_choice = forms.ChoiceField(
        label=_("Password"),
        widget=forms.RadioSelect,
        choices=[
            (SEND_LINK, _("E-mail the person a link to choose their own password")),
            (SET_PASSWORD, _("Set an initial password now and hand it over in person")),
        ],
        initial=SEND_LINK,
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        max_length=PASSWORD_LENGTH,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    field_order = [
        "username",
        "full_name",
        "position",
        "email",
        "phone",
        "role",
        "programme",
        "pokja_number",
        "password_choice",
        "password",
    ]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                # Sign-in names are unique across all units, so a new account cannot tell
                # less than this; it says nothing of whose the name is.
                _(
                    "This username is taken; choose another. Someone of the unit gets a role "
                    "on their page in the list of people, someone from elsewhere is invited "
                    "on a programme's “People and roles” page."
                )
            )
        return username

    def clean(self):
        cleaned = super().clean()
        sending = cleaned.get("password_choice") == self.SEND_LINK
        if sending and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Give an e-mail address to send the link to."))
        if cleaned.get("password_choice") == self.SET_PASSWORD:
            password = cleaned.get("password")
            if not password:
                self.add_error("password", _("Give an initial password."))
            else:
                candidate = User(
                    username=cleaned.get("username", ""),
                    full_name=cleaned.get("full_name", ""),
                    email=cleaned.get("email", ""),
                )
                try:
                    validate_password(password, candidate)
                except ValidationError as exc:
                    self.add_error("password", exc)
        return cleaned


class PersonEditForm(Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class PeopleFilterForm(QueryForm):
    ACTIVE, INACTIVE, ALL = "active", "inactive", "all"

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Accounts"),
        required=False,
        choices=[(ACTIVE, _("Active")), (INACTIVE, _("Deactivated")), (ALL, _("All"))],
    )
