"""Pages of the registers: audit findings and their follow-up (TLHP), kept by the Pokja for
Penguatan Pengawasan, and change agents with their changes, kept by the Pokja for Manajemen
Perubahan. Everyone who sees the programme reads them; the keeping Pokja and the coordinator
change them."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import audit_history_for
from pokja import services
from pokja.access import ProgrammeAccess, get_programme_for_user
from pokja.forms import (
    ChangeAgentChangeForm,
    ChangeAgentForm,
    FindingFilterForm,
    FindingForm,
    submitted,
)
from pokja.hooks import page_actions
from pokja.models import AuditFinding, ChangeAgent, ChangeAgentChange
from pokja.selectors import (
    change_agent_counts,
    change_agents_pokja,
    findings_pokja,
    tlhp_settled,
)
from pokja.views.evidence import evidence_forms, evidence_post


def _can_keep(access: ProgrammeAccess, pokja) -> bool:
    return access.can_coordinate or (pokja is not None and access.can_edit_pokja(pokja.pk))


# --------------------------------------------------------------------------- findings (TLHP)


def _can_delete_finding(access: ProgrammeAccess, keeper) -> bool:
    return access.can_coordinate or (keeper is not None and access.is_chair_of(keeper.pk))


def _get_findings_for_user(request, unit_code: str, year: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    keeper = findings_pokja(programme)
    return programme, access, keeper, _can_keep(access, keeper)


def _get_finding_for_user(request, unit_code: str, year: int, finding_id: int):
    programme, access, keeper, can_keep = _get_findings_for_user(request, unit_code, year)
    finding = get_object_or_404(AuditFinding, pk=finding_id, programme=programme)
    finding.programme = programme
    return programme, access, keeper, can_keep, finding


def _finding_url(finding: AuditFinding) -> str:
    return reverse(
        "finding_detail", kwargs={**finding.programme.url_kwargs(), "finding_id": finding.pk}
    )


@login_required
def findings(request, unit_code: str, year: int):
    programme, access, keeper, can_keep = _get_findings_for_user(request, unit_code, year)
    filter_form = FindingFilterForm(request.GET)
    status = filter_form.valid_data().get("status") or ""
    rows = AuditFinding.objects.filter(programme=programme).annotate(
        evidence_count=Count("evidence")
    )
    if status:
        rows = rows.filter(follow_up_status=status)
    return render(
        request,
        "pokja/findings.html",
        {
            "programme": programme,
            "access": access,
            "keeper": keeper,
            "can_keep": can_keep,
            "findings": rows,
            "summary": tlhp_settled(programme),
            "status": status,
            "statuses": AuditFinding.FollowUp.choices,
            "filter_form": filter_form,
        },
    )


@login_required
def finding_create(request, unit_code: str, year: int):
    programme, access, keeper, can_keep = _get_findings_for_user(request, unit_code, year)
    if not can_keep:
        raise PermissionDenied
    form = FindingForm(request.POST or None, programme=programme)
    saved = submitted(
        request,
        form,
        lambda data: services.finding_create(actor=request.user, programme=programme, **data),
    )
    if saved:
        finding = saved.value
        messages.success(request, _("Finding recorded."))
        return redirect(_finding_url(finding))
    return render(
        request,
        "pokja/finding_form.html",
        {"programme": programme, "access": access, "keeper": keeper, "form": form},
    )


def _render_finding(request, programme, access, keeper, can_keep, finding, **bound):
    form = bound.get("form") or FindingForm(instance=finding, programme=programme)
    return render(
        request,
        "pokja/finding_detail.html",
        {
            "programme": programme,
            "access": access,
            "keeper": keeper,
            "can_keep": can_keep,
            "finding": finding,
            "form": form if can_keep else None,
            "evidence_list": list(finding.evidence.select_related("uploaded_by")),
            **evidence_forms(programme, keeper, bound),
            "history": audit_history_for(finding)[:50],
            "can_delete": _can_delete_finding(access, keeper),
            "max_mb": settings.ZI_EVIDENCE_MAX_MB,
        },
    )


@login_required
def finding_detail(request, unit_code: str, year: int, finding_id: int):
    programme, access, keeper, can_keep, finding = _get_finding_for_user(
        request, unit_code, year, finding_id
    )
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied
        form = FindingForm(request.POST, instance=finding, programme=programme)
        saved = submitted(
            request,
            form,
            lambda data: services.finding_update(actor=request.user, finding=finding, **data),
        )
        if saved:
            messages.success(request, _("Finding saved."))
            return redirect(_finding_url(finding))
        finding = AuditFinding.objects.get(pk=finding.pk)  # the form changed its instance
        finding.programme = programme
        return _render_finding(request, programme, access, keeper, can_keep, finding, form=form)
    return _render_finding(request, programme, access, keeper, can_keep, finding)


@login_required
@require_POST
def finding_evidence_add(request, unit_code: str, year: int, finding_id: int):
    programme, access, keeper, can_keep, finding = _get_finding_for_user(
        request, unit_code, year, finding_id
    )
    if not can_keep:
        raise PermissionDenied
    post = evidence_post(
        request,
        programme=programme,
        pokja=keeper,
        attach=lambda evidence: services.finding_attach_evidence(
            actor=request.user, finding=finding, evidence=evidence
        ),
        add=lambda **new: services.finding_add_evidence(actor=request.user, finding=finding, **new),
    )
    if post.done:
        messages.success(request, _("Evidence attached to the finding."))
        return redirect(_finding_url(finding) + "#evidence")
    return _render_finding(request, programme, access, keeper, can_keep, finding, **post.context)


@login_required
@require_POST
def finding_evidence_remove(request, unit_code: str, year: int, finding_id: int, evidence_id: int):
    _programme, _access, _keeper, can_keep, finding = _get_finding_for_user(
        request, unit_code, year, finding_id
    )
    if not can_keep:
        raise PermissionDenied
    evidence = get_object_or_404(finding.evidence.all(), pk=evidence_id)
    services.finding_detach_evidence(actor=request.user, finding=finding, evidence=evidence)
    messages.success(request, _("Evidence detached; the file itself is kept."))
    return redirect(_finding_url(finding) + "#evidence")


@login_required
@require_POST
def finding_delete(request, unit_code: str, year: int, finding_id: int):
    programme, access, keeper, _can_keep, finding = _get_finding_for_user(
        request, unit_code, year, finding_id
    )
    if not _can_delete_finding(access, keeper):
        raise PermissionDenied
    services.finding_delete(actor=request.user, finding=finding)
    messages.success(request, _("Finding removed."))
    return redirect("findings", **programme.url_kwargs())


# --------------------------------------------------------------------------- change agents


def _get_agents_for_user(request, unit_code: str, year: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    keeper = change_agents_pokja(programme)
    return programme, access, keeper, _can_keep(access, keeper)


def _get_agent_for_user(request, unit_code: str, year: int, agent_id: int):
    programme, access, keeper, can_keep = _get_agents_for_user(request, unit_code, year)
    agent = get_object_or_404(ChangeAgent, pk=agent_id, programme=programme)
    agent.programme = programme
    return programme, access, keeper, can_keep, agent


def _get_change_for_user(request, unit_code: str, year: int, agent_id: int, change_id: int):
    programme, access, keeper, can_keep, agent = _get_agent_for_user(
        request, unit_code, year, agent_id
    )
    change = get_object_or_404(ChangeAgentChange, pk=change_id, agent=agent)
    change.agent = agent
    return programme, access, keeper, can_keep, agent, change


def _agents_url(programme) -> str:
    return reverse("change_agents", kwargs=programme.url_kwargs())


@login_required
def change_agents(request, unit_code: str, year: int):
    programme, access, keeper, can_keep = _get_agents_for_user(request, unit_code, year)
    agents = ChangeAgent.objects.filter(programme=programme).prefetch_related(
        Prefetch("changes", queryset=ChangeAgentChange.objects.order_by("-made_on", "pk"))
    )
    return render(
        request,
        "pokja/change_agents.html",
        {
            "programme": programme,
            "access": access,
            "keeper": keeper,
            "can_keep": can_keep,
            "agents": agents,
            "counts": change_agent_counts(programme),
            "lke_actions": page_actions("change_agents", request, programme, access, keeper=keeper),
        },
    )


def _agent_form_page(request, programme, access, keeper, form, *, agent=None, change=None):
    return render(
        request,
        "pokja/change_agent_form.html",
        {
            "programme": programme,
            "access": access,
            "keeper": keeper,
            "form": form,
            "agent": agent,
            "change": change,
        },
    )


@login_required
def change_agent_create(request, unit_code: str, year: int):
    programme, access, keeper, can_keep = _get_agents_for_user(request, unit_code, year)
    if not can_keep:
        raise PermissionDenied
    form = ChangeAgentForm(request.POST or None, programme=programme)
    saved = submitted(
        request,
        form,
        lambda data: services.change_agent_create(actor=request.user, programme=programme, **data),
    )
    if saved:
        agent = saved.value
        messages.success(request, _("%(name)s added as change agent.") % {"name": agent})
        return redirect(_agents_url(programme) + f"#agent-{agent.pk}")
    return _agent_form_page(request, programme, access, keeper, form)


@login_required
def change_agent_edit(request, unit_code: str, year: int, agent_id: int):
    programme, access, keeper, can_keep, agent = _get_agent_for_user(
        request, unit_code, year, agent_id
    )
    if not can_keep:
        raise PermissionDenied
    form = ChangeAgentForm(request.POST or None, instance=agent, programme=programme)
    saved = submitted(
        request,
        form,
        lambda data: services.change_agent_update(actor=request.user, agent=agent, **data),
    )
    if saved:
        messages.success(request, _("Change agent saved."))
        return redirect(_agents_url(programme) + f"#agent-{agent.pk}")
    return _agent_form_page(request, programme, access, keeper, form, agent=agent)


@login_required
@require_POST
def change_agent_delete(request, unit_code: str, year: int, agent_id: int):
    programme, _access, _keeper, can_keep, agent = _get_agent_for_user(
        request, unit_code, year, agent_id
    )
    if not can_keep:
        raise PermissionDenied
    services.change_agent_delete(actor=request.user, agent=agent)
    messages.success(request, _("Change agent removed."))
    return redirect(_agents_url(programme))


@login_required
def agent_change_create(request, unit_code: str, year: int, agent_id: int):
    programme, access, keeper, can_keep, agent = _get_agent_for_user(
        request, unit_code, year, agent_id
    )
    if not can_keep:
        raise PermissionDenied
    form = ChangeAgentChangeForm(request.POST or None, programme=programme)
    saved = submitted(
        request,
        form,
        lambda data: services.change_agent_change_create(actor=request.user, agent=agent, **data),
    )
    if saved:
        messages.success(request, _("Change recorded."))
        return redirect(_agents_url(programme) + f"#agent-{agent.pk}")
    return _agent_form_page(request, programme, access, keeper, form, agent=agent)


@login_required
def agent_change_edit(request, unit_code: str, year: int, agent_id: int, change_id: int):
    programme, access, keeper, can_keep, agent, change = _get_change_for_user(
        request, unit_code, year, agent_id, change_id
    )
    if not can_keep:
        raise PermissionDenied
    form = ChangeAgentChangeForm(request.POST or None, instance=change, programme=programme)
    saved = submitted(
        request,
        form,
        lambda data: services.change_agent_change_update(actor=request.user, change=change, **data),
    )
    if saved:
        messages.success(request, _("Change saved."))
        return redirect(_agents_url(programme) + f"#agent-{agent.pk}")
    return _agent_form_page(request, programme, access, keeper, form, agent=agent, change=change)


@login_required
@require_POST
def agent_change_delete(request, unit_code: str, year: int, agent_id: int, change_id: int):
    programme, _access, _keeper, can_keep, agent, change = _get_change_for_user(
        request, unit_code, year, agent_id, change_id
    )
    if not can_keep:
        raise PermissionDenied
    services.change_agent_change_delete(actor=request.user, change=change)
    messages.success(request, _("Change removed."))
    return redirect(_agents_url(programme) + f"#agent-{agent.pk}")
