"""Growth demo data for Kestrel Freight: Maya Okafor (Customer Success Lead) has held 1:1s with
each of her five reports for about four months, with agendas, shared notes, her private notes
and action items (most done, a few still carried over); the next 1:1 with each is coming up.
Her team gives and receives feedback tied to their objectives; a skills framework for customer
success with self and manager assessments at three points; two development OKRs.

Rows are written with bulk_create in a handful of statements, so seeding stays fast. Text is
fixed so the demo reads the same every time; dates count back from today."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from okrcoach.academy.models import Module
from okrcoach.growth.models import (
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
from okrcoach.okrs.models import Cycle, KeyResult, Objective
from okrcoach.orgs.models import Membership, Organisation

MANAGER = "Maya Okafor"
# report: (rhythm in days, weeks since the first 1:1)
REPORTS = {
    "Jordan Ellis": (14, 16),
    "Ana Souza": (14, 16),
    "Theo Fischer": (7, 12),
    "Leila Karimi": (14, 18),
    "Sean Murphy": (14, 10),
}

SKILLS = [
    (
        "Customer conversations",
        "Runs calls that leave the customer clearer and calmer than before.",
        [
            ("Guided", "Follows a call script and escalates anything unusual."),
            ("Capable", "Handles routine calls alone and summarises them accurately."),
            ("Skilled", "Turns a tense call around and agrees next steps the customer keeps."),
            ("Expert", "Coaches others on difficult calls and improves the scripts."),
        ],
    ),
    (
        "Root-cause analysis",
        "Finds why a problem keeps coming back rather than fixing the same symptom again.",
        [
            ("Guided", "Records what happened on a ticket when asked."),
            ("Capable", "Groups repeat tickets and names a likely cause."),
            ("Skilled", "Proves a cause with data and gets the owning team to change it."),
            ("Expert", "Runs reviews across teams that remove whole classes of tickets."),
        ],
    ),
    (
        "Onboarding design",
        "Shapes the first weeks of a new customer so they reach value quickly.",
        [
            ("Guided", "Runs an onboarding from the checklist."),
            ("Capable", "Adapts the checklist to a customer's setup."),
            ("Skilled", "Designs an onboarding for a new kind of customer and measures it."),
            ("Expert", "Owns the onboarding programme and its results."),
        ],
    ),
    (
        "Data storytelling",
        "Explains a number so that people decide something with it.",
        [
            ("Guided", "Pulls a report when asked."),
            ("Capable", "Builds a simple chart and says what it shows."),
            ("Skilled", "Presents a trend with its cause and a recommendation."),
            ("Expert", "Shapes the team's dashboards and how leaders read them."),
        ],
    ),
]

AGENDA = [
    "How is the renewal pipeline looking this fortnight?",
    "Anything blocking your key results?",
    "What did you learn from the escalations last week?",
    "Workload check: what could we drop?",
    "Feedback for me: what would make our 1:1s more useful?",
    "Progress on your development goal",
]
SHARED_NOTES = [
    "Agreed to pair on the two accounts that went quiet. Renewal risk flagged early: good.",
    "Talked through the spike in password tickets; root cause looks like the new SSO rollout.",
    "Confidence on the onboarding KR dropped to 5; we will revisit the target next check-in.",
    "Went well: the quarterly review deck. Next: shorter updates, one number and one blocker.",
]
PRIVATE_NOTES = [
    "Seems tired; ask about the on-call rota before the next planning session.",
    "Ready for a stretch assignment: consider the onboarding redesign.",
    "Check I gave credit for the churn analysis in the team meeting.",
]
ACTIONS = [
    ("Send the renewal risk list to sales", "report"),
    ("Book a session with the product team on SSO tickets", "manager"),
    ("Draft the onboarding checklist for logistics customers", "report"),
    ("Share the escalation write-up with the team", "report"),
    ("Ask finance for the churn numbers by segment", "manager"),
]
FEEDBACK = [
    (
        "Ana Souza",
        "Jordan Ellis",
        "praise",
        "public",
        "Your renewal call with the Harbour Foods team saved a contract we had written off.",
    ),
    (
        "Maya Okafor",
        "Leila Karimi",
        "feedback",
        "private",
        "Your escalation notes are thorough; lead with the customer impact so readers act faster.",
    ),
    (
        "Theo Fischer",
        "Leila Karimi",
        "praise",
        "public",
        "Thanks for untangling the SSO tickets: the queue is half what it was.",
    ),
    (
        "Jordan Ellis",
        "Sean Murphy",
        "praise",
        "public",
        "The new onboarding welcome pack got two unprompted thank-you emails this week.",
    ),
    (
        "Maya Okafor",
        "Theo Fischer",
        "feedback",
        "private",
        "When a call goes off track, summarise and propose a next step before the customer does.",
    ),
    (
        "Leila Karimi",
        "Ana Souza",
        "feedback",
        "private",
        "Your dashboards are clear; a one-line takeaway on top would help the exec readers.",
    ),
    (
        "Maya Okafor",
        "Jordan Ellis",
        "praise",
        "public",
        "Flagging the renewal risk at 4/10 confidence in week 3 gave us time to act. More of that.",
    ),
    (
        "Sean Murphy",
        "Theo Fischer",
        "praise",
        "private",
        "You stayed calm on the freight-delay call with an angry customer; I learned from it.",
    ),
]

DEVELOPMENT = [
    (
        "Leila Karimi",
        "Become the team's go-to person for root-cause reviews",
        "I keep fixing the same tickets. I want to get good at making them stop.",
        "Root-cause analysis",
        [
            ("Lead three root-cause reviews with the owning team", 67),
            ("Get one repeat-ticket cause fixed at the source", 40),
            ("Write a one-page guide the team uses", 10),
        ],
    ),
    (
        "Jordan Ellis",
        "Tell the story behind our renewal numbers",
        "Leaders skim our reports; I want them to decide something from them.",
        "Data storytelling",
        [
            ("Present the renewal trend at two leadership reviews", 50),
            ("Build a churn-by-segment chart that sales adopts", 30),
        ],
    ),
]


def _meeting_days(first: date, rhythm: int, today: date) -> list[date]:
    days, day = [], first
    while day < today:
        days.append(day)
        day += timedelta(days=rhythm)
    days.append(day)  # the next 1:1, coming up
    return days


@transaction.atomic
def seed_growth() -> None:
    org = Organisation.objects.filter(slug="kestrel").first()
    if org is None or OneOnOneSeries.objects.for_org(org).exists():
        return
    people = {m.user.full_name: m for m in Membership.objects.for_org(org).select_related("user")}
    maya = people[MANAGER]
    today = timezone.localdate()
    now = timezone.now()
    team = maya.team

    skills = Skill.objects.bulk_create(
        Skill(organisation=org, name=name, description=desc, team=team)
        for name, desc, _levels in SKILLS
    )
    SkillLevel.objects.bulk_create(
        SkillLevel(organisation=org, skill=skill, level=i, name=n, description=d)
        for skill, (_name, _desc, levels) in zip(skills, SKILLS, strict=True)
        for i, (n, d) in enumerate(levels, start=1)
    )
    skill_by_name = {s.name: s for s in skills}

    series_rows = OneOnOneSeries.objects.bulk_create(
        OneOnOneSeries(
            organisation=org,
            manager=maya,
            report=people[name],
            rhythm_days=rhythm,
            first_meeting_on=today - timedelta(weeks=weeks),
            start_time=time(9 + i, 30),
            duration_minutes=30,
        )
        for i, (name, (rhythm, weeks)) in enumerate(REPORTS.items())
    )
    meetings: list[Meeting] = []
    for series in series_rows:
        days = _meeting_days(series.first_meeting_on, series.rhythm_days, today)
        for k, day in enumerate(days):
            past = day < today
            meetings.append(
                Meeting(
                    organisation=org,
                    series=series,
                    held_on=day,
                    shared_notes=SHARED_NOTES[k % len(SHARED_NOTES)] if past else "",
                    created_at=now - timedelta(days=(today - day).days) if past else now,
                )
            )
    meetings = Meeting.objects.bulk_create(meetings)
    by_series: dict[int, list[Meeting]] = {}
    for m in meetings:
        by_series.setdefault(m.series_id, []).append(m)

    agenda, notes, actions = [], [], []
    for series in series_rows:
        rows = by_series[series.pk]
        report = series.report
        for k, meeting in enumerate(rows[:-1]):  # the coming 1:1 starts empty
            for j in range(2):
                text = AGENDA[(k + j) % len(AGENDA)]
                agenda.append(
                    AgendaItem(organisation=org, meeting=meeting, text=text, added_by=maya)
                )
            if k % 2 == 0:
                notes.append(
                    PrivateNote(
                        organisation=org,
                        meeting=meeting,
                        author=maya,
                        body=PRIVATE_NOTES[k % len(PRIVATE_NOTES)],
                    )
                )
            text, who = ACTIONS[(k + series.pk) % len(ACTIONS)]
            # Done at the next meeting, except the latest two: still carried over.
            done_in = rows[k + 1] if k < len(rows) - 3 else None
            actions.append(
                ActionItem(
                    organisation=org,
                    series=series,
                    raised_in=meeting,
                    text=text,
                    owner=report if who == "report" else maya,
                    due_on=meeting.held_on + timedelta(days=7),
                    done_in=done_in,
                    done_at=now - timedelta(days=(today - done_in.held_on).days)
                    if done_in
                    else None,
                )
            )
    AgendaItem.objects.bulk_create(agenda)
    PrivateNote.objects.bulk_create(notes)
    ActionItem.objects.bulk_create(actions)

    current = Cycle.objects.for_org(org).filter(state=Cycle.State.ACTIVE).first()
    objectives = {
        o.owner_id: o
        for o in Objective.objects.for_org(org).filter(
            cycle=current, owner__in=[people[n] for n in REPORTS]
        )
    }
    feedback_rows = Feedback.objects.bulk_create(
        Feedback(
            organisation=org,
            giver=people[giver],
            recipient=people[to],
            kind=kind,
            visibility=visibility,
            body=body,
            objective=objectives.get(people[to].pk),
            created_at=now - timedelta(days=5 + 9 * i),
        )
        for i, (giver, to, kind, visibility, body) in enumerate(FEEDBACK)
    )
    FeedbackRequest.objects.bulk_create(
        [
            FeedbackRequest(
                organisation=org,
                requester=people["Leila Karimi"],
                about=people["Leila Karimi"],
                respondent=people["Theo Fischer"],
                message="How did my handover of the SSO tickets land for you?",
            ),
            FeedbackRequest(
                organisation=org,
                requester=people["Jordan Ellis"],
                about=people["Jordan Ellis"],
                respondent=maya,
                message="Was my renewal update at the leadership review clear enough?",
            ),
        ]
    )

    assessments = []
    for r, name in enumerate(REPORTS):
        person = people[name]
        for s, skill in enumerate(skills):
            for step, weeks_ago in enumerate((16, 8, 1)):
                level = min(4, 1 + (r + s) % 2 + (1 if step == 2 else 0))
                for kind, assessor, bump in (
                    ("self", person, 0),
                    ("manager", maya, -1 if step == 0 else 0),
                ):
                    assessments.append(
                        SkillAssessment(
                            organisation=org,
                            person=person,
                            skill=skill,
                            assessor=assessor,
                            kind=kind,
                            level=max(1, level + bump),
                            assessed_on=today - timedelta(weeks=weeks_ago),
                            note="Seen in the renewal calls this quarter."
                            if kind == "manager"
                            else "",
                        )
                    )
    assessments = SkillAssessment.objects.bulk_create(assessments)
    # Maya's latest assessments of Jordan rest on evidence: his key result and her praise.
    jordan = people["Jordan Ellis"]
    latest = [
        a
        for a in assessments
        if a.person_id == jordan.pk
        and a.kind == "manager"
        and a.assessed_on == today - timedelta(weeks=1)
    ]
    jordan_kr = (
        KeyResult.objects.for_org(org).filter(owner=jordan, objective__cycle=current).first()
    )
    praise = next(f for f in feedback_rows if f.recipient_id == jordan.pk and f.giver_id == maya.pk)
    Evidence.objects.bulk_create(
        [
            *(
                Evidence(
                    organisation=org,
                    assessment=a,
                    key_result=jordan_kr,
                    note="Owned it all quarter",
                )
                for a in latest
                if jordan_kr is not None
            ),
            *(
                Evidence(organisation=org, assessment=a, feedback=praise, note="Early risk flag")
                for a in latest[:1]
            ),
        ]
    )

    module = Module.objects.filter(slug="performance-conversations").first()
    dev_rows = DevelopmentObjective.objects.bulk_create(
        DevelopmentObjective(
            organisation=org,
            person=people[name],
            title=title,
            description=why,
            starts_on=today - timedelta(weeks=8),
            ends_on=today + timedelta(weeks=18),
            created_by=people[name],
        )
        for name, title, why, _skill, _krs in DEVELOPMENT
    )
    # An earlier goal of Jordan's, done: its status, date and note show on his list and pack.
    DevelopmentObjective.objects.create(
        organisation=org,
        person=people["Jordan Ellis"],
        title="Run a renewal call without a script",
        description="I read from notes when a call gets hard; customers notice.",
        starts_on=today - timedelta(weeks=14),
        ends_on=today - timedelta(weeks=2),
        status=DevelopmentObjective.Status.DONE,
        status_changed_on=today - timedelta(weeks=3),
        status_note="Ran the Harbour Foods renewal from a one-line outline; Maya sat in.",
        created_by=people["Jordan Ellis"],
    )
    krs = []
    for dev, (_name, _t, _w, _skill, kr_specs) in zip(dev_rows, DEVELOPMENT, strict=True):
        krs += [
            DevelopmentKeyResult(organisation=org, objective=dev, title=t, progress=p)
            for t, p in kr_specs
        ]
    krs = DevelopmentKeyResult.objects.bulk_create(krs)
    DevelopmentCheckIn.objects.bulk_create(
        DevelopmentCheckIn(
            organisation=org,
            key_result=kr,
            author=kr.objective.person,
            progress=kr.progress,
            note="Steady progress; booked the next review.",
            created_at=now - timedelta(days=6),
        )
        for kr in krs
    )
    through_skills = DevelopmentObjective.skills.through
    through_skills.objects.bulk_create(
        through_skills(developmentobjective_id=dev.pk, skill_id=skill_by_name[spec[3]].pk)
        for dev, spec in zip(dev_rows, DEVELOPMENT, strict=True)
    )
    if module is not None:
        through_modules = DevelopmentObjective.academy_modules.through
        through_modules.objects.bulk_create(
            through_modules(developmentobjective_id=dev.pk, module_id=module.pk) for dev in dev_rows
        )
