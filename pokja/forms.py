from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.presentation import actor_labels, object_type_label
from audit.selectors import (
    AuditFilters,
)
from figures.date_fields import (
    DateField,
    bound_dates_to_programme,
    date_formfield,
)
from pokja.models import (
    ActionPlanItem,
    AuditFinding,
    ChangeAgent,
    ChangeAgentChange,
    Evidence,
    Pokja,
    Programme,
    ProgrammeRole,
    Unit,
    UnitRole,
    User,
)
from pokja.services.people import people_of_unit
from pokja.services.registers import AGENT_FIELDS, FINDING_FIELDS
from zi_tracker.forms import LONG_TEXT_LENGTH, PASSWORD_LENGTH, Form, ModelForm, QueryForm


class ProgrammeCreateForm(Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Evaluation year"), min_value=2014, max_value=2100)
    # The framework model is referenced through the Programme field, never imported upward.
    framework = forms.ModelChoiceField(
        label=_("LKE framework"),
        queryset=Programme._meta.get_field("framework").related_model.objects.all(),
    )
    target = forms.ChoiceField(label=_("Target predicate"), choices=Programme.Target.choices)
    holds_wbk = forms.BooleanField(label=_("The unit already holds WBK"), required=False)
    pencanangan_date = DateField(label=_("Date of the declaration (pencanangan)"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()

    def clean_year(self):
        # The declaration's range follows the year typed above it (cleaned after it).
        year = self.cleaned_data["year"]
        bound_dates_to_programme(self, year)
        return year

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") == Programme.Target.WBBM and not cleaned.get("holds_wbk"):
            self.add_error(
                "target", _("WBBM can be the target only for a unit that already holds WBK.")
            )
        return cleaned


class ProgrammeSettingsForm(Form):
    target = forms.ChoiceField(label=_("Target predicate"), choices=Programme.Target.choices)
    holds_wbk = forms.BooleanField(label=_("The unit already holds WBK"), required=False)
    pencanangan_date = DateField(label=_("Date of the declaration (pencanangan)"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Programme.Status.choices)
    pakta_file = forms.FileField(
        label=_("Signed pakta integritas / piagam (PDF or photo)"), required=False
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        bound_dates_to_programme(self, programme.year)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") == Programme.Target.WBBM and not cleaned.get("holds_wbk"):
            self.add_error(
                "target", _("WBBM can be the target only for a unit that already holds WBK.")
            )
        return cleaned


class RoleAddForm(Form):
    """Give a role to one of the unit's people, or invite someone from outside it.

    Only the unit's own people are looked up: a username outside the unit becomes an
    invitation, whether an account has it or not, and the page says the same in both cases.
    Site administrators give roles to any account directly.
    """

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_(
            "One of the unit's people gets the role at once. Anyone else is invited: they "
            "get the role once they accept. New people are added on the unit's people page."
        ),
    )
    kind = forms.ChoiceField(label=_("Role"), choices=ProgrammeRole.Kind.choices)
    pokja = forms.ModelChoiceField(
        label=_("Pokja (for chairs and members)"), queryset=Pokja.objects.none(), required=False
    )

    def __init__(self, *args, programme: Programme, any_account: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.any_account = any_account
        self.fields["pokja"].queryset = programme.pokjas.all()
        # The account that gets the role now; None means an invitation.
        self.person: User | None = None

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        accounts = User.objects.all() if self.any_account else people_of_unit(self.programme.unit)
        self.person = accounts.filter(username__iexact=username).first()
        if self.person is None and self.any_account:
            raise ValidationError(_("No account has this username."))
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") in ProgrammeRole.POKJA_KINDS and not cleaned.get("pokja"):
            self.add_error("pokja", _("Choose the Pokja for a chair or member."))
        return cleaned


def read_only(form: forms.Form) -> forms.Form:
    """`form` as a reader who may not change it sees it: every field shows its value and
    takes no input (a disabled field ignores whatever is posted for it). Upload fields, which
    show nothing but a button, are left out."""
    for name, field in list(form.fields.items()):
        if isinstance(field, forms.FileField):
            del form.fields[name]
        else:
            field.disabled = True
    return form


# --------------------------------------------------------------------------- action plans

PlanStatus = ActionPlanItem.Status


class SubAreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.name}"


class ModelIdsChoiceField(forms.ModelMultipleChoiceField):
    """Several objects by id; an id beyond the database's integer range is an invalid choice.

    Django passes such an id to an IN query as is, and SQLite then raises OverflowError
    (a 500) instead of finding nothing.
    """

    ID_RANGE = range(-(2**63), 2**63)

    def _check_values(self, value):
        for pk in value or ():
            try:
                number = int(str(pk))
            except ValueError:
                continue  # Django's own check refuses it
            if number not in self.ID_RANGE:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class QuestionChoiceField(ModelIdsChoiceField):
    def label_from_instance(self, obj):
        text = obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"
        return f"{obj.number}. {text}"


class MemberChoiceField(ModelIdsChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PlanItemForm(Form):
    """An item's description; its status and progress change through the quick update."""

    title = forms.CharField(label=_("Activity"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=LONG_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sub_area = SubAreaChoiceField(label=_("LKE sub-area"), queryset=None)
    questions = QuestionChoiceField(
        label=_("LKE questions it serves"),
        queryset=None,
        required=False,
        help_text=_("Questions of the chosen sub-area; hold Ctrl (or tap) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    expected_output = forms.CharField(
        label=_("Expected output"),
        required=False,
        max_length=LONG_TEXT_LENGTH,
        help_text=_("What the activity produces (tepat sasaran)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    success_indicator = forms.CharField(
        label=_("Success indicator"),
        required=False,
        max_length=LONG_TEXT_LENGTH,
        help_text=_("How you will know it worked (tepat guna)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owners = MemberChoiceField(
        label=_("Owners"),
        queryset=None,
        required=False,
        help_text=_("Members of this Pokja responsible for the activity."),
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = DateField(label=_("Start date"))
    due_date = DateField(label=_("Due date"))

    def __init__(self, *args, pokja: Pokja, members, **kwargs):
        super().__init__(*args, **kwargs)
        framework = pokja.programme.framework
        self.fields["sub_area"].queryset = framework.sub_areas.filter(
            area__code=pokja.area_code
        ).order_by("order")
        self.fields["questions"].queryset = framework.questions.filter(
            sub_area__area__code=pokja.area_code
        ).order_by("order")
        self.fields["owners"].queryset = members
        bound_dates_to_programme(self, pokja.programme.year)

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("The due date cannot be before the start date."))
        return cleaned


class PlanQuickUpdateForm(Form):
    """Status and progress in one go, from the list or the item page (htmx on phones)."""

    status = forms.ChoiceField(label=_("Status"), choices=PlanStatus.choices, required=False)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("Required when returning an item: say what is missing."),
    )


class EvidenceFileForm(Form):
    file = forms.FileField(label=_("File or photo"))
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)


class EvidenceLinkForm(Form):
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class EvidencePickForm(Form):
    evidence = forms.ModelChoiceField(
        label=_("Existing evidence"), queryset=Evidence.objects.none()
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["evidence"].queryset = choices


class CommentForm(Form):
    text = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


class MonitoringForm(Form):
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int)
    percent = forms.IntegerField(
        label=_("Realisation (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )
    note = forms.CharField(
        label=_("What was done this month"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, year: int, today, **kwargs):
        super().__init__(*args, **kwargs)
        last = 12 if year < today.year else (today.month if year == today.year else 0)
        self.fields["month"].choices = [(m, label) for m, label in MONTHS if m <= last]


class PlanFilterForm(QueryForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *PlanStatus.choices]
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), required=False, queryset=User.objects.none(), empty_label=_("Anyone")
    )
    late = forms.ChoiceField(
        label=_("Late"),
        required=False,
        choices=[("", _("All")), ("1", _("Late only")), ("0", _("Not late"))],
    )
    sub_area = SubAreaChoiceField(
        label=_("LKE sub-area"), required=False, queryset=None, empty_label=_("All")
    )

    def __init__(self, *args, members, sub_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["owner"].label_from_instance = lambda u: u.display_name
        self.fields["sub_area"].queryset = sub_areas

    def filters(self) -> dict:
        """Selector arguments; a rejected parameter is ignored (and shown as an error)."""
        data = self.valid_data()
        late = data.get("late")
        return {
            "status": data.get("status") or None,
            "owner_id": data["owner"].pk if data.get("owner") else None,
            "late": {"1": True, "0": False}.get(late or ""),
            "sub_area_id": data["sub_area"].pk if data.get("sub_area") else None,
        }


class FindingFilterForm(QueryForm):
    status = forms.ChoiceField(
        label=_("Follow-up status"),
        required=False,
        choices=[("", _("All")), *AuditFinding.FollowUp.choices],
    )


class PlanImportForm(Form):
    file = forms.FileField(
        label=_("Filled template (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet,text/csv"
            }
        ),
    )


class PlanImportMappingForm(Form):
    """The preview's choices: the field each column of the file holds, and the LKE sub-area of
    the rows that name none. `columns`: the file's columns (`pokja.plan_layout.LayoutColumn`);
    `choices`: `pokja.plan_columns.field_choices()`; `sub_areas`: (id, code, name)."""

    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
    # The choices the shown preview was made with: a confirmation under others previews again.
    previewed = forms.CharField(max_length=4000, required=False, widget=forms.HiddenInput)
    sub_area = forms.TypedChoiceField(
        label=_("LKE sub-area of the rows that name none"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, data=None, *, columns, choices, sub_areas, mapping=None, **kwargs):
        super().__init__(data, **kwargs)
        self.columns = list(columns)
        self.fields["sub_area"].choices = [("", _("— the file's sub-area column —"))] + [
            (pk, f"{code} · {name}"[:120]) for pk, code, name in sub_areas
        ]
        mapping = mapping or {}
        for column in self.columns:
            self.fields[f"col_{column.index}"] = forms.ChoiceField(
                label=f"{column.letter} · {column.header}"[:120],
                choices=choices,
                required=False,
                initial=mapping.get(column.index, column.field),
            )

    examples: dict[int, str] = {}  # column index -> the first values under it (the view's)

    def column_fields(self):
        """(column, its bound field, its first values) in the file's order, for the template."""
        return [
            (column, self[f"col_{column.index}"], self.examples.get(column.index, ""))
            for column in self.columns
        ]

    def mapping(self) -> dict[int, str]:
        return {c.index: self.cleaned_data.get(f"col_{c.index}") or "" for c in self.columns}


# --------------------------------------------------------------------------- registers


class ProgrammeRecordForm(ModelForm):
    """A record of a programme's registers: its dates are the shared date fields, in the
    programme's range."""

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        bound_dates_to_programme(self, programme.year)


class FindingForm(ProgrammeRecordForm):
    class Meta:
        formfield_callback = date_formfield
        model = AuditFinding
        fields = list(FINDING_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }


class ChangeAgentForm(ProgrammeRecordForm):
    class Meta:
        formfield_callback = date_formfield
        model = ChangeAgent
        fields = list(AGENT_FIELDS)


class ChangeAgentChangeForm(ProgrammeRecordForm):
    class Meta:
        formfield_callback = date_formfield
        model = ChangeAgentChange
        fields = ["title", "description", "made_on", "integrated", "integration_note"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


def add_validation_errors(form, exc: ValidationError, *, file_field: str | None = None) -> None:
    """Show a service's ValidationError on the form: each message on its field where the form
    has that field (a service's ``file`` on `file_field`), the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            if field == "file" and file_field:
                target = file_field
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


@dataclass(frozen=True)
class Submitted:
    """What `submitted` did: true when the form was saved, with what the save returned."""

    ok: bool
    value: Any = None

    def __bool__(self) -> bool:
        return self.ok


def submitted(request, form, save: Callable[[dict], Any], *, file_field: str | None = None):
    """A page's form posted and saved: `save(form.cleaned_data)` (one service call) when the
    request is a POST and the form valid; a service's refusal lands on the form's fields
    (`add_validation_errors`). False when nothing was saved: the page shows the form again."""
    if request.method != "POST" or not form.is_valid():
        return Submitted(False)
    try:
        return Submitted(True, save(form.cleaned_data))
    except ValidationError as exc:
        add_validation_errors(form, exc, file_field=file_field)
        return Submitted(False)


# --------------------------------------------------------------------------- people


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


# --------------------------------------------------------------------------- audit trail


# The trail starts with the application; a range past these is a typing slip (and a date
# near the calendar's end cannot be turned into the instant after its last day).
EARLIEST_AUDIT_DATE = datetime.date(2000, 1, 1)


def _latest_audit_date() -> datetime.date:
    return datetime.date(timezone.localdate().year + 1, 12, 31)


class AuditFilterForm(QueryForm):
    text = forms.CharField(label=_("Text"), max_length=100, required=False)
    actor = forms.ChoiceField(label=_("Who"), required=False)
    object_type = forms.ChoiceField(label=_("Kind of object"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any")), *AuditEntry.Action.choices],
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("Until"), required=False)

    def __init__(self, *args, actors: list[str], object_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        names = actor_labels(actors)
        self.fields["actor"].choices = [
            ("", _("Anyone")),
            *sorted(((a, names[a]) for a in actors), key=lambda c: c[1].casefold()),
        ]
        self.fields["object_type"].choices = [
            ("", _("Any")),
            *sorted(((t, object_type_label(t)) for t in object_types), key=lambda c: c[1]),
        ]
        # The trail's own range (below) is the one said; the picker offers only its days.
        for name in ("date_from", "date_to"):
            self.fields[name].set_range(datetime.date.min, datetime.date.max)
            self.fields[name].widget.attrs.update(
                min=EARLIEST_AUDIT_DATE.isoformat(), max=_latest_audit_date().isoformat()
            )

    def _clean_day(self, name: str) -> datetime.date | None:
        day = self.cleaned_data.get(name)
        latest = _latest_audit_date()
        if day is not None and not EARLIEST_AUDIT_DATE <= day <= latest:
            raise ValidationError(
                _("%(field)s: give a day from %(first)s to %(last)s.")
                % {
                    "field": self.fields[name].label,
                    "first": date_format(EARLIEST_AUDIT_DATE),
                    "last": date_format(latest),
                }
            )
        return day

    def clean_date_from(self):
        return self._clean_day("date_from")

    def clean_date_to(self):
        return self._clean_day("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the range is before its start."))
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid parameters; a rejected one narrows nothing (and is told on the page)."""
        data = self.valid_data()
        return AuditFilters(
            actor=data.get("actor") or "",
            object_type=data.get("object_type") or "",
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            text=(data.get("text") or "").strip(),
        )
