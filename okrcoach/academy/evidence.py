"""Evidence of practice, read from the product's own records.

Field assignments ("log three check-ins on your team's key results") complete from what the
learner really did in okrcoach. The academy comes after the OKR app in the import order, so it
reads the OKR models directly; the OKR app knows nothing of the academy."""

from __future__ import annotations

from okrcoach.core.models import AuditEvent
from okrcoach.okrs.audit_actions import KEY_RESULT_GRADED
from okrcoach.okrs.models import CheckIn, Objective, Retrospective
from okrcoach.orgs.models import Membership

from .models import LearningEvent


def product_event_counts(membership: Membership) -> dict[str, int]:
    """How often the learner did each thing the field assignments ask for: five counts."""
    org = membership.organisation_id
    owned = Objective.objects.for_org(org).filter(owner=membership)
    return {
        LearningEvent.CHECK_IN_LOGGED: CheckIn.objects.for_org(org)
        .filter(author=membership)
        .count(),
        LearningEvent.OBJECTIVE_CREATED: owned.count(),
        LearningEvent.OBJECTIVE_PUBLISHED_COACH_GOOD: owned.filter(
            status=Objective.Status.PUBLISHED, coach_verdict__verdict="good"
        ).count(),
        LearningEvent.RETROSPECTIVE_WRITTEN: Retrospective.objects.for_org(org)
        .filter(author=membership)
        .count(),
        LearningEvent.GRADE_RECORDED: AuditEvent.objects.for_org(org)
        .filter(actor_user_id=membership.user_id, action=KEY_RESULT_GRADED)
        .count(),
    }
