"""Reads for growth pages and the API. Each page object is built with a fixed number of queries
whatever the history's length (tests pin them at two sizes); templates only read attributes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from okrcoach.academy.models import Certificate, Module
from okrcoach.okrs.models import CheckIn, KeyResult, Objective
from okrcoach.okrs.permissions import visible_q
from okrcoach.orgs.access import get_for_member_or_404
from okrcoach.orgs.models import Membership
from okrcoach.orgs.selectors import direct_reports, people, subtree_ids

from . import agenda
from .agenda import Suggestion
from .models import (
    ActionItem,
    AgendaItem,
    DevelopmentCheckIn,
    DevelopmentKeyResult,
    DevelopmentObjective,
    Evidence,
    Feedback,
    FeedbackRequest,
    Meeting,
    OneOnOneSeries,
    PrivateNote,
    Skill,
    SkillAssessment,
    SkillLevel,
)
from .permissions import Rel, Subject, may, relations, require
from .services import development_subject, series_subject

# --- lookups ---------------------------------------------------------------------------------


def get_person(actor: Membership, person_id: UUID | str) -> Membership:
    return get_for_member_or_404(
        people(actor.organisation, include_inactive=True), actor, public_id=person_id
    )


def _series_qs(actor: Membership) -> QuerySet[OneOnOneSeries]:
    return OneOnOneSeries.objects.for_org(actor.organisation).select_related(
        "manager__user", "report__user", "report__organisation"
    )


def get_series(actor: Membership, series_id: UUID | str) -> OneOnOneSeries:
    """A series the actor takes part in: 404 for another organisation's, 403 for one in the
    actor's organisation they are not part of."""
    series = get_for_member_or_404(_series_qs(actor), actor, public_id=series_id)
    require(actor, "one_on_one", "view", series_subject(series))
    return series


def get_meeting(actor: Membership, meeting_id: UUID | str) -> Meeting:
    qs = Meeting.objects.for_org(actor.organisation).select_related(
        "series__manager__user", "series__report__user", "series__report__organisation"
    )
    meeting = get_for_member_or_404(qs, actor, public_id=meeting_id)
    require(actor, "one_on_one", "view", series_subject(meeting.series))
    return meeting


def get_action_item(actor: Membership, meeting: Meeting, item_id: UUID | str) -> ActionItem:
    qs = ActionItem.objects.for_org(actor.organisation).filter(series=meeting.series_id)
    return get_for_member_or_404(qs, actor, public_id=item_id)


def get_development_objective(actor: Membership, objective_id: UUID | str) -> DevelopmentObjective:
    qs = DevelopmentObjective.objects.for_org(actor.organisation).select_related(
        "person__user", "person__team"
    )
    objective = get_for_member_or_404(qs, actor, public_id=objective_id)
    require(actor, "development_okr", "view", development_subject(objective))
    return objective


def get_development_key_result(actor: Membership, kr_id: UUID | str) -> DevelopmentKeyResult:
    qs = DevelopmentKeyResult.objects.for_org(actor.organisation).select_related(
        "objective__person"
    )
    kr = get_for_member_or_404(qs, actor, public_id=kr_id)
    require(actor, "development_okr", "view", development_subject(kr.objective))
    return kr


def get_skill(actor: Membership, skill_id: UUID | str) -> Skill:
    return get_for_member_or_404(
        Skill.objects.for_org(actor.organisation), actor, public_id=skill_id
    )


def get_feedback_request(actor: Membership, request_id: UUID | str) -> FeedbackRequest:
    qs = FeedbackRequest.objects.for_org(actor.organisation).select_related(
        "about__user", "requester__user", "respondent__user"
    )
    fr = get_for_member_or_404(qs, actor, public_id=request_id)
    require(
        actor,
        "feedback_request",
        "view",
        Subject(person=fr.about, author_id=fr.requester_id, addressee_id=fr.respondent_id),
    )
    return fr


# --- visibility filters (the matrix, as SQL, for lists) --------------------------------------


def series_for(actor: Membership) -> QuerySet[OneOnOneSeries]:
    """The series the actor takes part in (one_on_one/view: PERSON or MANAGER)."""
    return _series_qs(actor).filter(Q(manager=actor) | Q(report=actor))


def development_visible_q(actor: Membership) -> Q:
    """development_okr/view: the person, the manager chain, admins."""
    if actor.is_admin:
        return Q()
    return Q(person=actor) | Q(person__in=subtree_ids(actor))


def feedback_visible_q(actor: Membership) -> Q:
    """feedback_public/view for every member; feedback_private/view: giver, recipient and the
    recipient's manager."""
    return (
        Q(visibility=Feedback.Visibility.PUBLIC)
        | Q(giver=actor)
        | Q(recipient=actor)
        | Q(recipient__manager=actor)
    )


def _feedback_qs(actor: Membership) -> QuerySet[Feedback]:
    return (
        Feedback.objects.for_org(actor.organisation)
        .filter(feedback_visible_q(actor))
        .select_related("giver__user", "recipient__user", "objective", "key_result")
    )


def assessments_visible_q(actor: Membership) -> Q:
    if actor.is_admin:
        return Q()
    return Q(person=actor) | Q(person__in=subtree_ids(actor))


# --- home ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrowthHome:
    as_manager: list[OneOnOneSeries]
    as_report: list[OneOnOneSeries]
    reports_without_series: list[Membership]
    development: list[DevelopmentObjective]
    requests_to_answer: list[FeedbackRequest]
    reports: list[Membership]


def growth_home(actor: Membership) -> GrowthHome:
    """Six queries."""
    series = list(
        series_for(actor)
        .annotate(meeting_count=Count("meetings"))
        .order_by("report__user__full_name", "pk")
    )
    reports = list(direct_reports(actor))
    with_series = {s.report_id for s in series if s.manager_id == actor.pk}
    return GrowthHome(
        as_manager=[s for s in series if s.manager_id == actor.pk],
        as_report=[s for s in series if s.report_id == actor.pk],
        reports_without_series=[r for r in reports if r.pk not in with_series],
        development=list(
            DevelopmentObjective.objects.for_org(actor.organisation)
            .filter(person=actor)
            .prefetch_related("key_results")
        ),
        requests_to_answer=list(
            FeedbackRequest.objects.for_org(actor.organisation)
            .filter(respondent=actor, answered_at__isnull=True)
            .select_related("about__user", "requester__user")
        ),
        reports=reports,
    )


# --- 1:1 series and meetings -----------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPage:
    series: OneOnOneSeries
    meetings: list[Meeting]
    open_items: list[ActionItem]


def series_page(actor: Membership, series: OneOnOneSeries) -> SeriesPage:
    """Two queries."""
    org = actor.organisation
    return SeriesPage(
        series=series,
        meetings=list(
            Meeting.objects.for_org(org)
            .filter(series=series)
            .annotate(agenda_count=Count("agenda"))
            .order_by("-held_on")
        ),
        open_items=list(
            ActionItem.objects.for_org(org)
            .filter(series=series, done_at__isnull=True)
            .select_related("owner__user", "raised_in")
        ),
    )


@dataclass(frozen=True)
class ItemRow:
    item: ActionItem
    carried: bool  # raised in an earlier meeting
    done_here: bool


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting
    series: OneOnOneSeries
    previous: Meeting | None
    next: Meeting | None
    since: datetime
    agenda: list[AgendaItem]
    suggestions: list[Suggestion]
    action_items: list[ItemRow]
    private_note: PrivateNote | None
    other_person: Membership
    can_change: bool

    @property
    def open_count(self) -> int:
        return sum(1 for row in self.action_items if not row.item.is_done)


def _meeting_start(series: OneOnOneSeries, day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def meeting_page(actor: Membership, meeting: Meeting) -> MeetingPage:
    """A fixed number of queries: neighbours 2, agenda 1, action items 1, private note 1,
    suggestions (okrs 2, academy 2)."""
    org = actor.organisation
    series = meeting.series
    siblings = Meeting.objects.for_org(org).filter(series=series)
    previous = siblings.filter(held_on__lt=meeting.held_on).order_by("-held_on").first()
    nxt = siblings.filter(held_on__gt=meeting.held_on).order_by("held_on").first()
    since_day = (
        previous.held_on if previous else meeting.held_on - timedelta(days=series.rhythm_days)
    )
    since = _meeting_start(series, since_day)
    # Items raised up to this meeting that were not done before it: carried until done.
    items = (
        ActionItem.objects.for_org(org)
        .filter(series=series, raised_in__held_on__lte=meeting.held_on)
        .filter(
            Q(done_in__isnull=True, done_at__isnull=True) | Q(done_in__held_on__gte=meeting.held_on)
        )
        .select_related("owner__user", "raised_in", "done_in")
        .order_by("raised_in__held_on", "created_at", "pk")
    )
    rows = [
        ItemRow(item, item.raised_in_id != meeting.pk, item.done_in_id == meeting.pk)
        for item in items
    ]
    report = series.report
    agenda_items = list(
        AgendaItem.objects.for_org(org).filter(meeting=meeting).select_related("added_by__user")
    )
    taken = {a.text for a in agenda_items}
    suggested = [
        s
        for s in agenda.suggestions(actor, report, since, timezone.localdate())
        if s.text not in taken
    ]
    open_items = sum(1 for r in rows if not r.item.is_done and r.carried)
    if open_items:
        suggested.append(
            Suggestion(
                "action_items",
                f"Review {open_items} open action item{'s' if open_items != 1 else ''} "
                "from earlier 1:1s",
            )
        )
        suggested = [s for s in suggested if s.text not in taken]
    return MeetingPage(
        meeting=meeting,
        series=series,
        previous=previous,
        next=nxt,
        since=since,
        agenda=agenda_items,
        suggestions=suggested,
        action_items=rows,
        private_note=PrivateNote.objects.for_org(org)
        .filter(meeting=meeting, author=actor)  # the author alone, whatever the role
        .first(),
        other_person=series.report if actor.pk == series.manager_id else series.manager,
        can_change=may(actor, "one_on_one", "change", series_subject(series)),
    )


# --- development OKRs ------------------------------------------------------------------------


def _development_qs(actor: Membership) -> QuerySet[DevelopmentObjective]:
    return (
        DevelopmentObjective.objects.for_org(actor.organisation)
        .filter(development_visible_q(actor))
        .select_related("person__user")
        .prefetch_related(
            "key_results",
            Prefetch("skills", queryset=Skill.objects.for_org(actor.organisation).order_by("name")),
            Prefetch("academy_modules", queryset=Module.objects.select_related("course")),
        )
    )


@dataclass(frozen=True)
class DevelopmentListPage:
    person: Membership
    objectives: list[DevelopmentObjective]
    can_change: bool


def development_list_page(actor: Membership, person: Membership) -> DevelopmentListPage:
    """The person's development OKRs: a relation check and four queries."""
    subject = Subject(person=person)
    require(actor, "development_okr", "view", subject)
    return DevelopmentListPage(
        person=person,
        objectives=list(_development_qs(actor).filter(person=person)),
        can_change=may(actor, "development_okr", "change", subject),
    )


@dataclass(frozen=True)
class DevelopmentPage:
    objective: DevelopmentObjective
    key_results: list[DevelopmentKeyResult]
    can_change: bool

    @property
    def progress(self) -> int:
        if not self.key_results:
            return 0
        return round(sum(kr.progress for kr in self.key_results) / len(self.key_results))


def development_page(actor: Membership, objective: DevelopmentObjective) -> DevelopmentPage:
    org = actor.organisation
    objective = _development_qs(actor).get(pk=objective.pk)
    key_results = list(
        DevelopmentKeyResult.objects.for_org(org)
        .filter(objective=objective)
        .prefetch_related(
            Prefetch(
                "check_ins",
                queryset=DevelopmentCheckIn.objects.for_org(org).select_related("author__user"),
            )
        )
    )
    return DevelopmentPage(
        objective=objective,
        key_results=key_results,
        can_change=may(actor, "development_okr", "change", development_subject(objective)),
    )


def academy_module_choices(actor: Membership) -> QuerySet[Module]:
    return (
        Module.objects.filter(
            Q(course__organisation__isnull=True) | Q(course__organisation=actor.organisation),
            is_active=True,
        )
        .select_related("course")
        .order_by("course__title", "position")
    )


def skill_choices(actor: Membership) -> QuerySet[Skill]:
    return Skill.objects.for_org(actor.organisation).order_by("name")


# --- skills ----------------------------------------------------------------------------------


def _skills_qs(actor: Membership) -> QuerySet[Skill]:
    return (
        Skill.objects.for_org(actor.organisation)
        .select_related("team")
        .prefetch_related(
            Prefetch("levels", queryset=SkillLevel.objects.for_org(actor.organisation))
        )
    )


@dataclass(frozen=True)
class SkillsPage:
    skills: list[Skill]
    can_change: bool


def skills_page(actor: Membership) -> SkillsPage:
    """The framework: two queries."""
    require(actor, "skills_framework", "view", Subject())
    return SkillsPage(
        skills=list(_skills_qs(actor)),
        can_change=may(actor, "skills_framework", "change", Subject()),
    )


@dataclass
class SkillTrack:
    skill: Skill
    assessments: list[SkillAssessment] = field(default_factory=list)

    def latest(self, kind: str) -> SkillAssessment | None:
        found = [a for a in self.assessments if a.kind == kind]
        return found[-1] if found else None

    @property
    def latest_self(self) -> SkillAssessment | None:
        return self.latest(SkillAssessment.Kind.SELF)

    @property
    def latest_manager(self) -> SkillAssessment | None:
        return self.latest(SkillAssessment.Kind.MANAGER)

    @property
    def first(self) -> SkillAssessment | None:
        return self.assessments[0] if self.assessments else None

    def level_name(self, level: int | None) -> str:
        for lv in self.skill.levels.all():
            if lv.level == level:
                return lv.name
        return ""


@dataclass(frozen=True)
class PersonSkillsPage:
    person: Membership
    tracks: list[SkillTrack]
    can_self_assess: bool
    can_manager_assess: bool


def _assessments(actor: Membership, person: Membership) -> QuerySet[SkillAssessment]:
    org = actor.organisation
    return (
        SkillAssessment.objects.for_org(org)
        .filter(person=person)
        .select_related("assessor__user")
        .prefetch_related(Prefetch("evidence", queryset=evidence_qs(org)))
        .order_by("assessed_on", "pk")
    )


def person_skills_page(actor: Membership, person: Membership) -> PersonSkillsPage:
    """One relation query, skills 2, assessments 2."""
    rels = relations(actor, Subject(person=person))
    if not rels & {Rel.PERSON, Rel.MANAGER, Rel.MANAGER_CHAIN, Rel.ADMIN}:
        raise PermissionDenied("Only the person, their managers and admins see assessments.")
    tracks = {s.pk: SkillTrack(s) for s in _skills_qs(actor)}
    assessments = list(_assessments(actor, person))
    attach_evidence_links(actor, assessments)
    for a in assessments:
        if a.skill_id in tracks:
            tracks[a.skill_id].assessments.append(a)
    return PersonSkillsPage(
        person=person,
        tracks=list(tracks.values()),
        can_self_assess=Rel.PERSON in rels,
        can_manager_assess=bool(rels & {Rel.MANAGER, Rel.MANAGER_CHAIN}),
    )


# --- evidence for skill levels ---------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceChoices:
    """The person's own records the actor may cite as evidence: each queryset is limited to
    the person, the organisation and what the actor may see, so a record is accepted exactly
    when it can be offered."""

    key_results: QuerySet[KeyResult]
    check_ins: QuerySet[CheckIn]
    feedback: QuerySet[Feedback]
    certificates: QuerySet[Certificate]

    def of_kind(self, kind: str) -> QuerySet[Any]:
        """The records of one kind of evidence (key_result, check_in, feedback, certificate)."""
        return {
            "key_result": self.key_results,
            "check_in": self.check_ins,
            "feedback": self.feedback,
            "certificate": self.certificates,
        }[kind]


def evidence_choices(actor: Membership, person: Membership) -> EvidenceChoices:
    org = actor.organisation
    return EvidenceChoices(
        key_results=KeyResult.objects.for_org(org)
        .filter(owner=person)
        .exclude(objective__status=Objective.Status.DRAFT)
        .filter(visible_q(actor, "objective__"))
        .select_related("objective")
        .order_by("objective__title", "position", "pk"),
        check_ins=CheckIn.objects.for_org(org)
        .filter(key_result__owner=person)
        .exclude(key_result__objective__status=Objective.Status.DRAFT)
        .filter(visible_q(actor, "key_result__objective__"))
        .select_related("key_result")
        .order_by("-created_at", "-pk"),
        feedback=Feedback.objects.for_org(org)
        .filter(recipient=person)
        .filter(feedback_visible_q(actor))
        .select_related("giver__user")
        .order_by("-created_at", "-pk"),
        certificates=Certificate.objects.for_org(org)
        .filter(membership=person, revoked_at__isnull=True)
        .order_by("-issued_at", "-pk"),
    )


@dataclass(frozen=True)
class EvidenceLink:
    kind: str  # key_result, check_in, feedback, certificate, url
    label: str
    url: str


def can_read_feedback(actor: Membership, f: Feedback) -> bool:
    """feedback_visible_q for one loaded row (needs `recipient` joined)."""
    return (
        f.visibility == Feedback.Visibility.PUBLIC
        or actor.pk in (f.giver_id, f.recipient_id)
        or f.recipient.manager_id == actor.pk
    )


def evidence_link(actor: Membership, e: Evidence) -> EvidenceLink | None:
    """What the viewer is shown for one piece of evidence: a link into the product, or None
    for feedback the viewer may not read (its existence is all the page says)."""
    slug = actor.organisation.slug
    if e.key_result is not None:
        kr = e.key_result
        url = reverse("okrs:objective_detail", args=[slug, kr.objective.public_id])
        return EvidenceLink(
            "key_result", _("KR: %(t)s") % {"t": kr.title}, f"{url}#kr-{kr.public_id}"
        )
    if e.check_in is not None:
        kr = e.check_in.key_result
        url = reverse("okrs:objective_detail", args=[slug, kr.objective.public_id])
        label = _("Check-in on “%(t)s”, %(d)s") % {
            "t": kr.title,
            "d": e.check_in.created_at.strftime("%d %b %Y"),
        }
        return EvidenceLink("check_in", label, f"{url}#kr-{kr.public_id}")
    if e.feedback is not None:
        f = e.feedback
        if not can_read_feedback(actor, f):
            return None
        label = _("Feedback from %(g)s, %(d)s") % {
            "g": f.giver.user.full_name,
            "d": f.created_at.strftime("%d %b %Y"),
        }
        return EvidenceLink(
            "feedback", label, reverse("growth:feedback_detail", args=[slug, f.public_id])
        )
    if e.certificate is not None:
        c = e.certificate
        return EvidenceLink(
            "certificate",
            _("Certificate: %(c)s") % {"c": c.course_title},
            reverse("academy:verify", args=[c.code]),
        )
    return EvidenceLink("url", e.note or e.url, e.url) if e.url else None


def evidence_qs(org: Any) -> QuerySet[Evidence]:
    return Evidence.objects.for_org(org).select_related(
        "key_result__objective",
        "check_in__key_result__objective",
        "feedback__giver__user",
        "feedback__recipient",
        "certificate",
    )


def attach_evidence_links(actor: Membership, assessments: Iterable[SkillAssessment]) -> None:
    """Give each assessment (evidence prefetched) `evidence_links`, read by page and API."""
    for a in assessments:
        links = [evidence_link(actor, e) for e in a.evidence.all()]
        a.evidence_links = [x for x in links if x is not None]  # type: ignore[attr-defined]


# --- feedback --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackPage:
    received: list[Feedback]
    given: list[Feedback]
    requests_to_answer: list[FeedbackRequest]
    requests_made: list[FeedbackRequest]


FEED_LIMIT = 50


def feedback_page(actor: Membership) -> FeedbackPage:
    """Four queries; each list shows the latest FEED_LIMIT."""
    org = actor.organisation
    requests = FeedbackRequest.objects.for_org(org).select_related(
        "about__user", "requester__user", "respondent__user", "objective"
    )
    return FeedbackPage(
        received=list(_feedback_qs(actor).filter(recipient=actor)[:FEED_LIMIT]),
        given=list(_feedback_qs(actor).filter(giver=actor)[:FEED_LIMIT]),
        requests_to_answer=list(requests.filter(respondent=actor, answered_at__isnull=True)),
        requests_made=list(requests.filter(requester=actor)[:FEED_LIMIT]),
    )


def recognition(actor: Membership) -> list[Feedback]:
    """Public recognition in the organisation, newest first: one query."""
    return list(_feedback_qs(actor).filter(visibility=Feedback.Visibility.PUBLIC)[:FEED_LIMIT])


def feedback_list(actor: Membership) -> QuerySet[Feedback]:
    return _feedback_qs(actor)


def development_list(actor: Membership) -> QuerySet[DevelopmentObjective]:
    return _development_qs(actor)


def assessment_list(actor: Membership) -> QuerySet[SkillAssessment]:
    return (
        SkillAssessment.objects.for_org(actor.organisation)
        .filter(assessments_visible_q(actor))
        .select_related("person", "skill", "assessor")
        .prefetch_related(Prefetch("evidence", queryset=evidence_qs(actor.organisation)))
        .order_by("assessed_on", "pk")
    )


def get_feedback(actor: Membership, feedback_id: UUID | str) -> Feedback:
    """One piece of feedback the actor may read; any other is a 404, as in every list."""
    return get_for_member_or_404(_feedback_qs(actor), actor, public_id=feedback_id)


def objective_choices(actor: Membership, person: Membership | None = None) -> QuerySet[Objective]:
    qs = (
        Objective.objects.for_org(actor.organisation)
        .filter(visible_q(actor), status=Objective.Status.PUBLISHED)
        .select_related("cycle")
        .order_by("-cycle__starts_on", "title")
    )
    if person is not None:
        qs = qs.filter(owner=person)
    return qs
