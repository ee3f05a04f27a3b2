"""Small presentation helpers for action-plan pages."""

from django import template

from pokja.forms import MONTHS
from pokja.models import ActionPlanItem, AuditFinding

register = template.Library()

_STATUS_BADGES = {
    ActionPlanItem.Status.NOT_STARTED: "text-bg-secondary",
    ActionPlanItem.Status.IN_PROGRESS: "text-bg-primary",
    ActionPlanItem.Status.DONE: "text-bg-info",
    ActionPlanItem.Status.VERIFIED: "text-bg-success",
    ActionPlanItem.Status.RETURNED: "text-bg-warning",
}
_FOLLOW_UP_BADGES = {
    AuditFinding.FollowUp.NOT_STARTED: "text-bg-danger",
    AuditFinding.FollowUp.IN_PROGRESS: "text-bg-warning",
    AuditFinding.FollowUp.SETTLED: "text-bg-success",
    AuditFinding.FollowUp.CANNOT: "text-bg-secondary",
}
_MONTHS = dict(MONTHS)


@register.filter
def status_badge(status: str) -> str:
    """The Bootstrap badge class of a plan-item status."""
    return _STATUS_BADGES.get(status, "text-bg-light")


@register.filter
def follow_up_badge(status: str) -> str:
    return _FOLLOW_UP_BADGES.get(status, "text-bg-light")


@register.filter
def month_name(month: int) -> str:
    return str(_MONTHS.get(month, month))
