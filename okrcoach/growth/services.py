"""Writes for 1:1s, development OKRs, skills and feedback: one function per operation, each in
one transaction, re-checking the permission matrix and writing its audit row.

Audit rows never carry note or feedback text: a private note must not leak through the log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okrcoach.academy.models import Certificate, Module
from okrcoach.core.audit import audit
from okrcoach.okrs.models import CheckIn, KeyResult, Objective
from okrcoach.okrs.permissions import can_view_objective
from okrcoach.orgs.access import ensure_same_org
from okrcoach.orgs.models import Membership, Team

from . import notifications
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
    next_meeting_day,
)
from .permissions import Rel, Subject, relations, require


def series_subject(series: OneOnOneSeries) -> Subject:
    return Subject(person=series.report, manager_id=series.manager_id)


def _is_participant(series: OneOnOneSeries, member: Membership) -> bool:
    return member.pk in (series.manager_id, series.report_id)


# --- 1:1s ------------------------------------------------------------------------------------


@transaction.atomic
def create_series(
    *,
    actor: Membership,
    report: Membership,
    rhythm_days: int,
    first_meeting_on: date,
    start_time: time | None = None,
    duration_minutes: int = 30,
) -> OneOnOneSeries:
    """The report's manager starts a series with them (an admin may start one for the report's
    manager). The first meeting is created with it."""
    ensure_same_org(actor, report)
    require(actor, "one_on_one", "create", Subject(person=report))
    manager = actor if report.manager_id == actor.pk else report.manager
    if manager is None:
        raise ValidationError({"report": _("This person has no manager to meet with.")})
    if not report.is_active:
        raise ValidationError({"report": _("This person is no longer active.")})
    if (
        OneOnOneSeries.objects.for_org(actor.organisation)
        .filter(manager=manager, report=report)
        .exists()
    ):
        raise ValidationError({"report": _("A 1:1 series with this person already exists.")})
    series = OneOnOneSeries.objects.create(
        organisation=actor.organisation,
        manager=manager,
        report=report,
        rhythm_days=rhythm_days,
        first_meeting_on=first_meeting_on,
        start_time=start_time or time(10, 0),
        duration_minutes=duration_minutes,
    )
    series.full_clean()
    Meeting.objects.create(organisation=actor.organisation, series=series, held_on=first_meeting_on)
    audit(actor, "growth.one_on_one.created", series)
    return series


@transaction.atomic
def schedule_next_meeting(*, actor: Membership, series: OneOnOneSeries) -> Meeting:
    """The meeting after the latest one, one rhythm later."""
    ensure_same_org(actor, series)
    require(actor, "one_on_one", "change", series_subject(series))
    last = (
        Meeting.objects.for_org(actor.organisation)
        .filter(series=series)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    meeting = Meeting.objects.create(
        organisation=actor.organisation, series=series, held_on=next_meeting_day(series, last)
    )
    audit(actor, "growth.meeting.scheduled", meeting)
    return meeting


def _require_meeting(actor: Membership, meeting: Meeting) -> None:
    ensure_same_org(actor, meeting)
    require(actor, "one_on_one", "change", series_subject(meeting.series))


@transaction.atomic
def add_agenda_item(
    *, actor: Membership, meeting: Meeting, text: str, source: str = "", link: str = ""
) -> AgendaItem:
    _require_meeting(actor, meeting)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the talking point.")})
    if link and not link.startswith("/"):
        raise ValidationError({"link": _("Only links inside okrcoach can be attached.")})
    item = AgendaItem.objects.create(
        organisation=actor.organisation,
        meeting=meeting,
        text=text[:300],
        source=source[:40],
        link=link[:300],
        added_by=actor,
    )
    audit(actor, "growth.agenda_item.added", item, data={"source": source})
    return item


@transaction.atomic
def save_shared_notes(*, actor: Membership, meeting: Meeting, text: str) -> Meeting:
    _require_meeting(actor, meeting)
    meeting.shared_notes = text
    meeting.save(update_fields=["shared_notes"])
    audit(actor, "growth.shared_notes.saved", meeting)
    return meeting


@transaction.atomic
def save_private_note(*, actor: Membership, meeting: Meeting, body: str) -> PrivateNote:
    """The actor's own note on a meeting they take part in: there is no way to write, or read,
    somebody else's."""
    _require_meeting(actor, meeting)
    note, _created = PrivateNote.objects.for_org(actor.organisation).update_or_create(
        organisation=actor.organisation,
        meeting=meeting,
        author=actor,
        defaults={"body": body, "updated_at": timezone.now()},
    )
    audit(actor, "growth.private_note.saved", meeting)
    return note


@transaction.atomic
def add_action_item(
    *,
    actor: Membership,
    meeting: Meeting,
    text: str,
    owner: Membership,
    due_on: date | None = None,
) -> ActionItem:
    _require_meeting(actor, meeting)
    ensure_same_org(actor, owner)
    if not _is_participant(meeting.series, owner):
        raise ValidationError({"owner": _("The owner must be one of the two people meeting.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the action item.")})
    item = ActionItem.objects.create(
        organisation=actor.organisation,
        series=meeting.series,
        raised_in=meeting,
        text=text.strip()[:300],
        owner=owner,
        due_on=due_on,
    )
    audit(actor, "growth.action_item.added", item)
    notifications.action_item_assigned(actor=actor, item=item)
    return item


@transaction.atomic
def complete_action_item(*, actor: Membership, item: ActionItem, meeting: Meeting) -> ActionItem:
    """Mark an item done in `meeting`: it shows there as done and no longer carries over."""
    _require_meeting(actor, meeting)
    ensure_same_org(actor, item)
    if item.series_id != meeting.series_id:
        raise ValidationError({"item": _("This action item belongs to another 1:1.")})
    if item.done_at is not None:
        raise ValidationError({"item": _("This action item is already done.")})
    item.done_at = timezone.now()
    item.done_in = meeting
    item.save(update_fields=["done_at", "done_in"])
    audit(actor, "growth.action_item.done", item)
    return item


# --- development OKRs ------------------------------------------------------------------------


@transaction.atomic
def create_development_objective(
    *,
    actor: Membership,
    person: Membership,
    title: str,
    starts_on: date,
    ends_on: date,
    description: str = "",
    skills: Sequence[Skill] = (),
    modules: Sequence[Module] = (),
    key_results: Sequence[str] = (),
) -> DevelopmentObjective:
    ensure_same_org(actor, person, *skills)
    require(actor, "development_okr", "change", Subject(person=person))
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The end must come after the start.")})
    if not title.strip():
        raise ValidationError({"title": _("Write the objective.")})
    objective = DevelopmentObjective.objects.create(
        organisation=actor.organisation,
        person=person,
        title=title.strip(),
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    objective.skills.set(skills)
    objective.academy_modules.set(modules)
    for kr_title in key_results:
        if kr_title.strip():
            DevelopmentKeyResult.objects.create(
                organisation=actor.organisation, objective=objective, title=kr_title.strip()
            )
    audit(actor, "growth.development_objective.created", objective)
    return objective


def development_subject(objective: DevelopmentObjective) -> Subject:
    return Subject(person=objective.person)


def _refuse_closed(objective: DevelopmentObjective, field: str) -> None:
    if objective.is_closed:
        raise ValidationError(
            {
                field: _("This development OKR is %(s)s: reopen it first.")
                % {"s": objective.get_status_display().lower()}
            }
        )


@transaction.atomic
def set_development_status(
    *, actor: Membership, objective: DevelopmentObjective, status: str, note: str = ""
) -> DevelopmentObjective:
    """Mark a development OKR done or dropped (from active), or reopen it (back to active),
    with today's date and a note. Never a grade: nothing reads it as one."""
    ensure_same_org(actor, objective)
    reopening = status == DevelopmentObjective.Status.ACTIVE
    require(
        actor, "development_okr", "reopen" if reopening else "close", development_subject(objective)
    )
    if status not in DevelopmentObjective.Status.values:
        raise ValidationError({"status": _("Choose done, dropped or active.")})
    if reopening and not objective.is_closed:
        raise ValidationError({"status": _("This development OKR is already active.")})
    if not reopening and objective.is_closed:
        raise ValidationError({"status": _("Reopen it before marking it %(s)s.") % {"s": status}})
    objective.status = status
    objective.status_changed_on = timezone.localdate()
    objective.status_note = note.strip()[:500]
    objective.save(update_fields=["status", "status_changed_on", "status_note"])
    # The note may be personal: the audit row names the status only.
    audit(actor, "growth.development_objective.status_set", objective, data={"status": status})
    return objective


@transaction.atomic
def add_development_key_result(
    *, actor: Membership, objective: DevelopmentObjective, title: str
) -> DevelopmentKeyResult:
    ensure_same_org(actor, objective)
    require(actor, "development_okr", "change", development_subject(objective))
    _refuse_closed(objective, "title")
    if not title.strip():
        raise ValidationError({"title": _("Write the key result.")})
    kr = DevelopmentKeyResult.objects.create(
        organisation=actor.organisation, objective=objective, title=title.strip()
    )
    audit(actor, "growth.development_key_result.added", kr)
    return kr


@transaction.atomic
def record_development_progress(
    *, actor: Membership, key_result: DevelopmentKeyResult, progress: int, note: str = ""
) -> DevelopmentCheckIn:
    ensure_same_org(actor, key_result)
    require(actor, "development_okr", "change", development_subject(key_result.objective))
    _refuse_closed(key_result.objective, "progress")
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")})
    check_in = DevelopmentCheckIn.objects.create(
        organisation=actor.organisation,
        key_result=key_result,
        author=actor,
        progress=progress,
        note=note,
    )
    key_result.progress = progress
    key_result.updated_at = check_in.created_at
    key_result.save(update_fields=["progress", "updated_at"])
    audit(actor, "growth.development_progress.recorded", key_result, data={"progress": progress})
    return check_in


# --- skills ----------------------------------------------------------------------------------


@transaction.atomic
def create_skill(
    *,
    actor: Membership,
    name: str,
    levels: Sequence[tuple[str, str]],
    description: str = "",
    team: Team | None = None,
    role_title: str = "",
) -> Skill:
    """A skill with its levels, in order (level 1 first). Admins only."""
    ensure_same_org(actor, team)
    require(actor, "skills_framework", "change", Subject())
    if len(levels) < 2:
        raise ValidationError({"levels": _("Describe at least two levels.")})
    if Skill.objects.for_org(actor.organisation).filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("The framework already has a skill of this name.")})
    skill = Skill.objects.create(
        organisation=actor.organisation,
        name=name.strip(),
        description=description,
        team=team,
        role_title=role_title.strip(),
    )
    SkillLevel.objects.bulk_create(
        SkillLevel(
            organisation=actor.organisation,
            skill=skill,
            level=i,
            name=level_name,
            description=level_description,
        )
        for i, (level_name, level_description) in enumerate(levels, start=1)
    )
    audit(actor, "growth.skill.created", skill)
    return skill


@dataclass(frozen=True)
class EvidenceIn:
    key_result: KeyResult | None = None
    check_in: CheckIn | None = None
    feedback: Feedback | None = None
    certificate: Certificate | None = None
    url: str = ""
    note: str = ""


def _check_evidence(actor: Membership, person: Membership, item: EvidenceIn) -> None:
    """Evidence is the person's own record, in the organisation, that the actor may see (the
    form and the API offer only those; this is the rule they both rest on)."""
    ensure_same_org(actor, item.key_result, item.check_in, item.feedback, item.certificate)
    given = [x for x in (item.key_result, item.check_in, item.feedback, item.certificate) if x]
    if len(given) + bool(item.url) != 1:
        raise ValidationError({"evidence": _("Each piece of evidence is exactly one thing.")})
    if item.certificate is not None and (
        item.certificate.membership_id != person.pk or item.certificate.revoked_at is not None
    ):
        raise ValidationError({"evidence": _("That certificate is not one of theirs.")})
    if item.feedback is not None:
        if item.feedback.recipient_id != person.pk:
            raise ValidationError({"evidence": _("That feedback was for someone else.")})
        f = item.feedback
        readable = (
            f.visibility == Feedback.Visibility.PUBLIC
            or actor.pk in (f.giver_id, f.recipient_id)
            or person.manager_id == actor.pk
        )
        if not readable:
            raise ValidationError({"evidence": _("You cannot read that feedback.")})
    kr = item.key_result or (item.check_in.key_result if item.check_in else None)
    if kr is not None:
        if kr.owner_id != person.pk:
            raise ValidationError({"evidence": _("That key result is someone else's.")})
        if not can_view_objective(actor, kr.objective):
            raise ValidationError({"evidence": _("You cannot see that key result.")})


@transaction.atomic
def assess_skill(
    *,
    actor: Membership,
    person: Membership,
    skill: Skill,
    level: int,
    note: str = "",
    assessed_on: date | None = None,
    evidence: Sequence[EvidenceIn] = (),
) -> SkillAssessment:
    """A self assessment (the person) or a manager assessment (their manager chain)."""
    ensure_same_org(actor, person, skill)
    subject = Subject(person=person)
    rels = relations(actor, subject)
    if Rel.PERSON in rels:
        kind = SkillAssessment.Kind.SELF
    else:
        require(actor, "skill_assessment", "manager_assess", subject)
        kind = SkillAssessment.Kind.MANAGER
    levels = set(
        SkillLevel.objects.for_org(actor.organisation)
        .filter(skill=skill)
        .values_list("level", flat=True)
    )
    if level not in levels:
        raise ValidationError({"level": _("Choose one of the skill's levels.")})
    for item in evidence:
        _check_evidence(actor, person, item)
    assessment = SkillAssessment.objects.create(
        organisation=actor.organisation,
        person=person,
        skill=skill,
        assessor=actor,
        kind=kind,
        level=level,
        note=note,
        assessed_on=assessed_on or timezone.localdate(),
    )
    Evidence.objects.bulk_create(
        Evidence(
            organisation=actor.organisation,
            assessment=assessment,
            key_result=item.key_result,
            check_in=item.check_in,
            feedback=item.feedback,
            certificate=item.certificate,
            url=item.url,
            note=item.note,
        )
        for item in evidence
    )
    audit(actor, "growth.skill.assessed", assessment, data={"kind": kind, "level": level})
    return assessment


# --- feedback --------------------------------------------------------------------------------


@transaction.atomic
def give_feedback(
    *,
    actor: Membership,
    recipient: Membership,
    body: str,
    kind: str = Feedback.Kind.FEEDBACK,
    visibility: str = Feedback.Visibility.PRIVATE,
    objective: Objective | None = None,
    key_result: KeyResult | None = None,
    request: FeedbackRequest | None = None,
) -> Feedback:
    ensure_same_org(actor, recipient, objective, key_result, request)
    require(actor, "feedback", "give", Subject(person=recipient))
    if not body.strip():
        raise ValidationError({"body": _("Write your feedback.")})
    if key_result is not None:
        objective = key_result.objective
    if objective is not None and not can_view_objective(actor, objective):
        raise ValidationError({"objective": _("You cannot see that objective.")})
    if request is not None:
        if request.respondent_id != actor.pk or request.about_id != recipient.pk:
            raise ValidationError({"request": _("This request was not addressed to you.")})
        if request.answered_at is not None:
            raise ValidationError({"request": _("You already answered this request.")})
        request.answered_at = timezone.now()
        request.save(update_fields=["answered_at"])
    if not recipient.is_active:
        raise ValidationError({"recipient": _("This person is no longer active.")})
    feedback = Feedback.objects.create(
        organisation=actor.organisation,
        giver=actor,
        recipient=recipient,
        kind=kind,
        body=body.strip(),
        visibility=visibility,
        objective=objective,
        key_result=key_result,
        request=request,
    )
    audit(actor, "growth.feedback.given", feedback, data={"visibility": visibility})
    notifications.feedback_given(actor=actor, feedback=feedback)
    return feedback


@transaction.atomic
def request_feedback(
    *,
    actor: Membership,
    about: Membership,
    respondent: Membership,
    message: str,
    objective: Objective | None = None,
) -> FeedbackRequest:
    ensure_same_org(actor, about, respondent, objective)
    require(actor, "feedback_request", "create", Subject(person=about))
    if respondent.pk == about.pk:
        raise ValidationError({"respondent": _("Ask a colleague, not the person themselves.")})
    if not respondent.is_active:
        raise ValidationError({"respondent": _("This person is no longer active.")})
    if not message.strip():
        raise ValidationError({"message": _("Say what you would like feedback on.")})
    fr = FeedbackRequest.objects.create(
        organisation=actor.organisation,
        requester=actor,
        about=about,
        respondent=respondent,
        message=message.strip()[:300],
        objective=objective,
    )
    audit(actor, "growth.feedback.requested", fr)
    notifications.feedback_requested(actor=actor, request=fr)
    return fr
