from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evaluations.models import Framework
from pokja.models import Pokja, Programme, ProgrammeRole, Unit, User


class DateInput(forms.DateInput):
    input_type = "date"


class ProgrammeCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Evaluation year"), min_value=2014, max_value=2100)
    framework = forms.ModelChoiceField(label=_("LKE framework"), queryset=Framework.objects.all())
    target = forms.ChoiceField(label=_("Target predicate"), choices=Programme.Target.choices)
    holds_wbk = forms.BooleanField(label=_("The unit already holds WBK"), required=False)
    pencanangan_date = forms.DateField(
        label=_("Date of the declaration (pencanangan)"), required=False, widget=DateInput
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") == Programme.Target.WBBM and not cleaned.get("holds_wbk"):
            self.add_error(
                "target", _("WBBM can be the target only for a unit that already holds WBK.")
            )
        return cleaned


class ProgrammeSettingsForm(forms.Form):
    target = forms.ChoiceField(label=_("Target predicate"), choices=Programme.Target.choices)
    holds_wbk = forms.BooleanField(label=_("The unit already holds WBK"), required=False)
    pencanangan_date = forms.DateField(
        label=_("Date of the declaration (pencanangan)"), required=False, widget=DateInput
    )
    status = forms.ChoiceField(label=_("Status"), choices=Programme.Status.choices)
    pakta_file = forms.FileField(
        label=_("Signed pakta integritas / piagam (PDF or photo)"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") == Programme.Target.WBBM and not cleaned.get("holds_wbk"):
            self.add_error(
                "target", _("WBBM can be the target only for a unit that already holds WBK.")
            )
        return cleaned


class RoleAddForm(forms.Form):
    """Give a role to an existing user, or create the user at the same time."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("An existing user, or a new one if you fill in the name and password below."),
    )
    kind = forms.ChoiceField(label=_("Role"), choices=ProgrammeRole.Kind.choices)
    pokja = forms.ModelChoiceField(
        label=_("Pokja (for chairs and members)"), queryset=Pokja.objects.none(), required=False
    )
    full_name = forms.CharField(label=_("Full name (new user)"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail (new user)"), required=False)
    password = forms.CharField(
        label=_("Initial password (new user)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["pokja"].queryset = programme.pokjas.all()
        self.existing_user: User | None = None

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        self.existing_user = User.objects.filter(username__iexact=username).first()
        return username

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in ProgrammeRole.POKJA_KINDS and not cleaned.get("pokja"):
            self.add_error("pokja", _("Choose the Pokja for a chair or member."))
        if self.existing_user is None and cleaned.get("username"):
            if not cleaned.get("full_name"):
                self.add_error(
                    "full_name", _("There is no such user; give a full name to create one.")
                )
            password = cleaned.get("password")
            if not password:
                self.add_error("password", _("There is no such user; give an initial password."))
            else:
                candidate = User(username=cleaned["username"], email=cleaned.get("email", ""))
                try:
                    validate_password(password, candidate)
                except ValidationError as exc:
                    self.add_error("password", exc)
        return cleaned
