"""Worked examples, one per kind of objective: when the coach cannot build a rewrite a manager
would accept, a finding gives its coaching question and a worked example from this library for
the item's domain (picked from the words of the item and its objective).

Every example here was written for okrcoach (invented organisations and numbers; none copied
from a published OKR). Each shows the same move: a task the team would do ("task") turned into
the change in other people it is meant to cause ("outcome"), and an objective with key results
that measure it.

    python3 -m coach.examples "Run 12 campus recruiting events"    # which example, and why
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

from coach.types import Finding, Kind, Review, SetReview

# Linear: a character class repeated once, no nested quantifiers.
_WORD_RE = re.compile(r"[a-z0-9]+")
# A suggestion's closing template ("..., e.g. '<sentence>'."), dropped when it is no rewrite.
_TEMPLATE_RE = re.compile(
    r"[,;:]?\s*(?:for example|e\.g\.)\s*'[^']*'(?:\s+or\s+'[^']*')*\s*\.?\s*$"
)


@dataclass(frozen=True)
class WorkedExample:
    domain: str
    label: str  # shown to people: "Hiring"
    task: str  # a key result written as the team's own work
    outcome: str  # the same intent, measured as a change in others
    objective: str
    key_results: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "label": self.label,
            "task": self.task,
            "outcome": self.outcome,
            "objective": self.objective,
            "key_results": list(self.key_results),
        }

    def as_json(self, kind: Kind | str = Kind.KEY_RESULT) -> dict[str, Any]:
        return {**self.to_dict(), "text": self.text(kind)}

    def text(self, kind: Kind | str = Kind.KEY_RESULT) -> str:
        """One plain sentence for the CLI and the API."""
        if Kind(kind) is Kind.OBJECTIVE:
            krs = "; ".join(self.key_results)
            return f"Worked example ({self.label}): '{self.objective}', measured by: {krs}."
        return (
            f"Worked example ({self.label}): instead of '{self.task}', "
            f"measure the change it is for: '{self.outcome}'."
        )


@dataclass(frozen=True)
class _Domain:
    example: WorkedExample
    words: frozenset[str]  # single words, lower case, singular


def _d(
    domain: str,
    label: str,
    words: str,
    task: str,
    outcome: str,
    objective: str,
    *key_results: str,
) -> _Domain:
    return _Domain(
        WorkedExample(domain, label, task, outcome, objective, tuple(key_results)),
        frozenset(words.split()),
    )


_DOMAINS: tuple[_Domain, ...] = (
    _d(
        "hiring",
        "Hiring",
        "hire hiring recruit recruiting recruiter recruitment candidate applicant interview "
        "interviewer offer vacancy vacancies role headcount talent sourcing "
        "referral requisition job opening",
        "Run 12 campus recruiting events",
        "Offers accepted by the engineers we interview rise from 52% to 70%",
        "Make the nursing roles we advertise the ones good nurses choose",
        "Days from a nurse's application to a signed offer fall from 41 to 25",
        "Share of new nurses still with us after their first 6 months rises from 74% to 88%",
        "Candidates rating their interview 4 or 5 out of 5 rise from 58% to 75%",
    ),
    _d(
        "support",
        "Customer support",
        "support ticket tickets helpdesk desk agent agents queue escalation escalations "
        "complaint complaints caller callers resolution resolve chat inbox backlog csat",
        "Write 30 new help-centre articles",
        "Customers who solve a billing question without opening a ticket rise from 35% to 55%",
        "Tenants get their question answered the first time they ask",
        "Questions resolved in the first reply rise from 48% to 65%",
        "Tickets reopened within 7 days fall from 12% to 6%",
        "Tenants rating their support chat 'helpful' rise from 61% to 78%",
    ),
    _d(
        "sales",
        "Sales",
        "sales sell selling deal deals pipeline prospect prospects lead leads quota revenue "
        "bookings account accounts customer customers contract contracts renewal renewals "
        "win close closed upsell arr mrr",
        "Make 400 cold calls to bakeries",
        "Bakeries that sign after a trial rise from 18% to 30%",
        "Become the ordering system independent bakeries renew without being asked",
        "Trial-to-paid conversion for bakeries rises from 18% to 30%",
        "Annual renewals of bakery contracts rise from 71% to 85%",
        "Median days from first demo to signed contract fall from 34 to 20",
    ),
    _d(
        "reliability",
        "Engineering reliability",
        "uptime outage outages incident incidents latency availability reliability "
        "reliable error errors deploy deploys deployment rollback slo sla pager on-call "
        "oncall downtime service services server servers api migration failover",
        "Migrate the booking service to the new cluster",
        "Booking requests answered in under 300 ms rise from 91% to 99%",
        "Clinics can always reach their appointment book",
        "Minutes of booking downtime per month fall from 95 to 20",
        "Incidents customers notice before we do fall from 6 to 1 per quarter",
        "Deploys rolled back fall from 9% to 3%",
    ),
    _d(
        "finance",
        "Finance",
        "finance financial invoice invoices invoicing budget budgets cash payment payments "
        "payable receivable receivables cost costs spend spending margin audit close "
        "forecast forecasting expense expenses ledger dso",
        "Implement the new expense tool",
        "Expense claims reimbursed within 5 working days rise from 60% to 90%",
        "Everyone we owe money to is paid on time",
        "Supplier invoices paid by their due date rise from 77% to 95%",
        "Days to close the monthly books fall from 9 to 5",
        "Budget holders who trust the monthly forecast rise from 40% to 70% in the finance survey",
    ),
    _d(
        "community",
        "Community",
        "community member members volunteer volunteers forum meetup meetups event events "
        "contributor contributors club chapter neighbour neighbours neighbourhood resident "
        "residents attendee attendees moderator choir club",
        "Organise 10 neighbourhood meetups",
        "Residents who come back to a second meetup rise from 22% to 40%",
        "Newcomers to the allotment association find their place in it",
        "New members who join a working group within 2 months rise from 15% to 35%",
        "Volunteers still active after one season rise from 45% to 65%",
        "Questions in the members' forum answered by another member rise from 30% to 55%",
    ),
    _d(
        "public_service",
        "Public service",
        "citizen citizens council permit permits licence licences benefit benefits claim "
        "claims application applications appointment appointments waiting library libraries "
        "transport bus ferry housing tenant tenants municipal public parking",
        "Launch the online parking-permit form",
        "Residents who get a parking permit in one visit or less rise from 40% to 80%",
        "Residents get council permits without queuing",
        "Median days from application to permit fall from 21 to 7",
        "Permit applications sent back for missing papers fall from 28% to 10%",
        "Residents rating the permit process 'easy' in the exit survey rise from 35% to 65%",
    ),
    _d(
        "education",
        "Education",
        "student students pupil pupils learner learners teacher teachers course courses "
        "lesson lessons class classes school schools curriculum exam exams grade grades "
        "tutor tutoring reading literacy enrolment enrollment",
        "Publish 20 new maths worksheets",
        "Year 7 pupils reading at their age level rise from 64% to 78%",
        "Every pupil leaves primary school able to read for pleasure",
        "Pupils reading at their age level rise from 64% to 78% on the spring reading check",
        "Pupils who borrow a library book each week rise from 30% to 50%",
        "Parents attending at least one reading evening rise from 25% to 45%",
    ),
    _d(
        "marketing",
        "Marketing",
        "marketing campaign campaigns brand newsletter seo content blog audience awareness "
        "subscriber subscribers ad ads advertising social follower followers impression "
        "impressions webinar webinars press",
        "Post on social media 5 times a week",
        "Newsletter readers who book a tasting rise from 2% to 5%",
        "Wine lovers in the region think of us first for tastings",
        "Tasting bookings that come from the newsletter rise from 80 to 200 a month",
        "Newsletter subscribers who open 3 issues in a row rise from 31% to 45%",
        "Unaided recall of our name in the regional survey rises from 9% to 20%",
    ),
    _d(
        "product",
        "Product",
        "product feature features release releases roadmap user users app adoption "
        "activation retention onboarding signup signups trial dashboard mobile ux design "
        "usage engagement",
        "Ship the new onboarding checklist",
        "New shop owners who list their first product within a day rise from 38% to 60%",
        "Shop owners get their first sale in their first week",
        "New shops with a sale in their first 7 days rise from 21% to 40%",
        "New shop owners still active after 30 days rise from 55% to 70%",
        "Shops that set up payments without contacting support rise from 70% to 90%",
    ),
    _d(
        "security",
        "Security",
        "security secure phishing vulnerability vulnerabilities patch patches breach "
        "breaches password passwords mfa access threat threats pentest encryption "
        "compliance risk risks credential credentials",
        "Roll out security training to all staff",
        "Staff who report the quarterly phishing test rise from 20% to 60%",
        "Attackers find no easy way into the warehouse systems",
        "Critical vulnerabilities open longer than 14 days fall from 11 to 0",
        "Staff accounts protected by a second factor rise from 64% to 100%",
        "Staff who report the quarterly phishing test rise from 20% to 60%",
    ),
    _d(
        "operations",
        "Operations",
        "operations warehouse delivery deliveries shipment shipments order orders fulfilment "
        "fulfillment logistics supplier suppliers inventory stock procurement process "
        "processes throughput dispatch fleet",
        "Reorganise the warehouse shelving",
        "Orders dispatched on the day they are placed rise from 72% to 92%",
        "Every online order leaves the warehouse the day it is placed",
        "Orders dispatched the same day rise from 72% to 92%",
        "Orders picked with the wrong item fall from 1.8% to 0.5%",
        "Items out of stock when ordered fall from 6% to 2%",
    ),
    _d(
        "health",
        "Health care",
        "patient patients clinic clinics nurse nurses doctor doctors ward wards care "
        "hospital gp appointment referral referrals treatment discharge health medication",
        "Hold 6 diabetes information sessions",
        "Patients with diabetes whose HbA1c is in range rise from 48% to 60%",
        "Patients leave the ward knowing how to look after themselves at home",
        "Patients readmitted within 30 days fall from 14% to 9%",
        "Patients who can explain their medication at discharge rise from 55% to 85%",
        "Patients who see a nurse on the day they call rise from 62% to 80%",
    ),
    _d(
        "people",
        "People and culture",
        "employee employees staff engagement wellbeing manager managers "
        "culture training learning career promotion feedback attrition turnover survey "
        "colleague colleagues",
        "Launch a mentoring programme",
        "New managers who say they get useful feedback each month rise from 40% to 70%",
        "People grow here instead of leaving to grow",
        "Roles filled by an internal move rise from 15% to 30%",
        "Regretted leavers fall from 9% to 5% of staff",
        "Share of staff who learned a new skill this quarter rises from 45% to 65%",
    ),
)

GENERAL = WorkedExample(
    "general",
    "Any team",
    "Hold a weekly planning meeting",
    "Customers who get their order on the promised date rise from 55% to 80%",
    "Customers notice that we keep our promises",
    (
        "Promised dates we meet rise from 68% to 90%",
        "Customers who rate us 'reliable' rise from 50% to 70% in the quarterly survey",
        "Work reopened after handover falls from 15% to 5%",
    ),
)
DOMAINS: dict[str, WorkedExample] = {d.example.domain: d.example for d in _DOMAINS}

# Findings about another field, the calendar or the process: a worked example of wording would
# not answer them.
_NO_EXAMPLE = frozenset(
    {
        "KR-14-TIMEBOX",
        "KR-15-OWNER",
        "KR-17-CONTROL",
        "LEN-01-LONG",
        "SET-02-OBJ-COUNT",
        "SET-05-TYPE",
        "PROC-01-CHECKIN",
        "PROC-02-COMP",
    }
)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def domain_of(text: str, context: str = "") -> str:
    """The domain whose words the item uses most (its own words count double those of its
    objective); "general" when none is named. Linear in the length of the texts."""
    own = _words(text)
    words = [(w, 2) for w in own] + [(w, 1) for w in _words(context)]
    best, best_score = "general", 0
    for d in _DOMAINS:
        score = sum(weight for w, weight in words if w in d.words or _singular(w) in d.words)
        if score > best_score:
            best, best_score = d.example.domain, score
    return best


def worked_example(text: str, context: str = "") -> WorkedExample:
    return DOMAINS.get(domain_of(text, context), GENERAL)


def example_for(finding: Finding, text: str, context: str = "") -> WorkedExample | None:
    """The worked example a finding shows: only when the coach offers no rewrite for it and
    the finding is about the wording."""
    if finding.rewrite or finding.rule in _NO_EXAMPLE:
        return None
    return worked_example(text, context)


def advice(finding: Finding) -> str:
    """The suggestion as the product shows it: without its closing example sentence when that
    sentence did not pass as a rewrite (a template with blanks, or words from another domain);
    the worked example stands in for it."""
    if finding.rewrite:
        return finding.suggestion
    text = _TEMPLATE_RE.sub("", finding.suggestion).rstrip()
    if "<" in text or "_" in text:  # a template left mid-sentence: keep the advice before it
        cut = text.find("e.g.")
        text = text[:cut].rstrip(" ,;:") if cut > 0 else ""
    if not text:
        return ""
    return text if text.endswith((".", "?", "!")) else text + "."


def review_example(review: Review, text: str, context: str = "") -> WorkedExample | None:
    """The one worked example shown under a review (panel, readable CLI): when at least one
    finding about the wording comes without a rewrite."""
    for finding in review.findings:
        if (example := example_for(finding, text, context)) is not None:
            return example
    return None


def attach(review: Review, data: dict[str, Any], text: str, context: str = "") -> dict[str, Any]:
    """Give each finding of a review's JSON (Review.to_dict()) its worked example, or null."""
    for finding, out in zip(review.findings, data.get("findings") or [], strict=False):
        example = example_for(finding, text, context)
        out["example"] = None if example is None else example.as_json(review.kind)
    return data


def attach_set(review: SetReview, data: dict[str, Any], objective: str, krs: list[str]) -> None:
    """The same for a set review's JSON (SetReview.to_dict()): items and set findings."""
    attach(review.objective, data["objective"], objective)
    for kr_review, out, text in zip(review.key_results, data["key_results"], krs, strict=False):
        attach(kr_review, out, text, objective)
    for finding, out in zip(review.findings, data["findings"], strict=False):
        example = example_for(finding, " ".join(krs), objective)
        out["example"] = None if example is None else example.as_json(Kind.OBJECTIVE)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = " ".join(args)
    example = worked_example(text)
    print(f"domain: {example.domain}")
    print(example.text(Kind.KEY_RESULT))
    print(example.text(Kind.OBJECTIVE))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
