"""Evidence of practice, read from the product's own records.

Field assignments ("log three check-ins on your team's key results") complete from what the
learner really did in okrcoach. The academy comes after the OKR app in the import order, so it
reads the OKR tables; the OKR app knows nothing of the academy. Models are looked up at call time
so that the academy still loads where the OKR app is not installed."""

from __future__ import annotations

from django.apps import apps

from okrcoach.core.models import AuditEvent
from okrcoach.orgs.models import Membership

from .models import LearningEvent


def product_event_counts(membership: Membership) -> dict[str, int]:
    """How often the learner did each thing the field assignments ask for: five counts."""
    if not apps.is_installed("okrcoach.okrs"):
        return {}
    check_in = apps.get_model("okrs", "CheckIn")
    objective = apps.get_model("okrs", "Objective")
    retrospective = apps.get_model("okrs", "Retrospective")
    org = membership.organisation_id
    owned = objective.objects.for_org(org).filter(owner=membership)
    return {
        LearningEvent.CHECK_IN_LOGGED: check_in.objects.for_org(org)
        .filter(author=membership)
        .count(),
        LearningEvent.OBJECTIVE_CREATED: owned.count(),
        LearningEvent.OBJECTIVE_PUBLISHED_COACH_GOOD: owned.filter(
            status=objective.Status.PUBLISHED, coach_verdict__verdict="good"
        ).count(),
        LearningEvent.RETROSPECTIVE_WRITTEN: retrospective.objects.for_org(org)
        .filter(author=membership)
        .count(),
        LearningEvent.GRADE_RECORDED: AuditEvent.objects.for_org(org)
        .filter(actor_user_id=membership.user_id, action="okrs.key_result.graded")
        .count(),
    }
