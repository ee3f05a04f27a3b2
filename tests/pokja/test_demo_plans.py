"""The demo world's plans and registers: realistic mixes, and seeding twice changes nothing."""

import pytest

from audit.services import audit_verify_chain
from dashboards.demo import seed_demo
from pokja.models import ActionPlanItem, ActionPlanMonitoring, AuditFinding, ChangeAgentChange
from pokja.selectors import (
    change_agent_counts,
    plan_late_items,
    plan_status_counts,
    tlhp_settled,
)

pytestmark = pytest.mark.django_db
S = ActionPlanItem.Status


def test_the_demo_has_plans_for_six_pokja_some_late_verified_and_returned(demo):
    programme = demo.programme
    counts = plan_status_counts(programme)
    assert len(counts) == 6 and all(c.total >= 3 for c in counts.values())
    statuses = set(
        ActionPlanItem.objects.filter(programme=programme).values_list("status", flat=True)
    )
    assert statuses == set(S.values)
    late = plan_late_items(programme)
    assert late and all(entry.days_late > 0 and entry.owners for entry in late)
    returned = ActionPlanItem.objects.filter(programme=programme, status=S.RETURNED)
    assert all(item.return_reason for item in returned)
    assert ActionPlanMonitoring.objects.filter(item__programme=programme).count() > 50
    summary = tlhp_settled(programme)
    assert summary.total == 6 and 0 < summary.settled < summary.owed
    agents = change_agent_counts(programme)
    assert agents.agents == 4 and 0 < agents.changes_integrated < agents.changes_made
    assert audit_verify_chain().ok


def test_seeding_again_changes_nothing(demo):
    programme = demo.programme
    before = (
        ActionPlanItem.objects.count(),
        ActionPlanMonitoring.objects.count(),
        AuditFinding.objects.count(),
        ChangeAgentChange.objects.count(),
    )
    seed_demo()
    after = (
        ActionPlanItem.objects.count(),
        ActionPlanMonitoring.objects.count(),
        AuditFinding.objects.count(),
        ChangeAgentChange.objects.count(),
    )
    assert after == before
    assert programme.plan_items.exists()
