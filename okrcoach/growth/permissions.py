"""Who may see and change what in growth: one table, read by services, selectors, pages and the
API alike, and walked cell by cell by tests/test_permission_matrix.py.

A cell names an object, an action and the actor's relation to the person the object is about.
An actor may hold several relations at once (an admin who is also the manager); the action is
allowed when any of them is. Another organisation never reaches a check: every lookup starts
from the actor's organisation, so its rows are a 404 (the OTHER_ORG column documents that).

Relations:
- AUTHOR: wrote the row (a private note, feedback given, a feedback request made).
- ADDRESSEE: the colleague a feedback request names.
- PERSON: the person it is about (the report of a 1:1 series, the owner of a development OKR,
  the person assessed, the recipient of feedback).
- MANAGER: the person's direct manager; for a 1:1, the series' manager.
- MANAGER_CHAIN: anyone further up the person's reporting line.
- ADMIN, EXECUTIVE: by role in the organisation.
- PEER: any other member of the organisation.
- OTHER_ORG: a member of another organisation (never allowed)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from okrcoach.orgs.models import Membership
from okrcoach.orgs.selectors import subtree_ids


class Rel(StrEnum):
    AUTHOR = "author"
    ADDRESSEE = "addressee"
    PERSON = "person"
    MANAGER = "manager"
    MANAGER_CHAIN = "manager_chain"
    ADMIN = "admin"
    EXECUTIVE = "executive"
    PEER = "peer"
    OTHER_ORG = "other_org"


A, D, P, M, C = Rel.AUTHOR, Rel.ADDRESSEE, Rel.PERSON, Rel.MANAGER, Rel.MANAGER_CHAIN
ADM, EXE, PEER = Rel.ADMIN, Rel.EXECUTIVE, Rel.PEER
MEMBERS = frozenset({P, M, C, ADM, EXE, PEER})

# (object, action) -> the relations that may do it. Everything not listed is refused.
MATRIX: dict[tuple[str, str], frozenset[Rel]] = {
    # A 1:1 is a conversation between two people: nobody else reads its agenda or notes.
    ("one_on_one", "view"): frozenset({P, M}),
    ("one_on_one", "change"): frozenset({P, M}),
    ("one_on_one", "create"): frozenset({M, ADM}),
    # Private notes: their author alone, admins included.
    ("private_note", "view"): frozenset({A}),
    ("private_note", "change"): frozenset({A}),
    # The person owns their growth; the manager helps write it; the chain and admins read.
    ("development_okr", "view"): frozenset({P, M, C, ADM}),
    ("development_okr", "change"): frozenset({P, M}),
    # Done or dropped, and reopened: the person and their manager, as they wrote it together.
    ("development_okr", "close"): frozenset({P, M}),
    ("development_okr", "reopen"): frozenset({P, M}),
    ("skill_assessment", "view"): frozenset({P, M, C, ADM}),
    ("skill_assessment", "self_assess"): frozenset({P}),
    ("skill_assessment", "manager_assess"): frozenset({M, C}),
    ("skills_framework", "view"): MEMBERS,
    ("skills_framework", "change"): frozenset({ADM}),
    ("feedback", "give"): frozenset({M, C, ADM, EXE, PEER}),
    ("feedback_private", "view"): frozenset({A, P, M}),
    ("feedback_public", "view"): MEMBERS | {A},
    ("feedback_request", "create"): frozenset({P, M}),
    ("feedback_request", "view"): frozenset({A, D, P}),
    ("feedback_request", "answer"): frozenset({D}),
    # The evidence pack prepares a performance conversation: the person sees their own.
    ("evidence_pack", "view"): frozenset({P, M, C, ADM}),
}

OBJECT_LABELS = {
    "one_on_one": _("1:1s"),
    "private_note": _("private notes"),
    "development_okr": _("development OKRs"),
    "skill_assessment": _("skills assessments"),
    "skills_framework": _("the skills framework"),
    "feedback": _("feedback"),
    "feedback_private": _("private feedback"),
    "feedback_public": _("public recognition"),
    "feedback_request": _("feedback requests"),
    "evidence_pack": _("evidence packs"),
}


@dataclass(frozen=True)
class Subject:
    """What the relations are computed against."""

    person: Membership | None = None
    manager_id: int | None = None  # the series' manager; else the person's own manager
    author_id: int | None = None
    addressee_id: int | None = None


def _above(actor: Membership, person_id: int) -> bool:
    """Is the person below the actor in the reporting line? One query."""
    return (
        Membership.objects.for_org(actor.organisation_id)
        .filter(pk=person_id, pk__in=subtree_ids(actor))
        .exists()
    )


def relations(actor: Membership, subject: Subject) -> frozenset[Rel]:
    """Every relation the actor holds to the subject; at most one query (the reporting line)."""
    person = subject.person
    if person is not None and person.organisation_id != actor.organisation_id:
        return frozenset({Rel.OTHER_ORG})
    rels: set[Rel] = set()
    if subject.author_id == actor.pk:
        rels.add(A)
    if subject.addressee_id == actor.pk:
        rels.add(D)
    if actor.is_admin:
        rels.add(ADM)
    if actor.is_executive:
        rels.add(EXE)
    if person is not None:
        manager_id = subject.manager_id or person.manager_id
        if person.pk == actor.pk:
            rels.add(P)
        elif manager_id == actor.pk:
            rels.add(M)
        elif _above(actor, person.pk):
            rels.add(C)
        else:
            rels.add(PEER)
    else:
        rels.add(PEER)
    return frozenset(rels)


def may(actor: Membership, obj: str, action: str, subject: Subject) -> bool:
    return bool(MATRIX[(obj, action)] & relations(actor, subject))


def require(actor: Membership, obj: str, action: str, subject: Subject) -> None:
    """403 (PermissionDenied) unless the matrix allows it."""
    if not may(actor, obj, action, subject):
        raise PermissionDenied(
            _("Your place in the organisation does not allow this on %(object)s.")
            % {"object": OBJECT_LABELS[obj]}
        )


def allowed_with(obj: str, action: str, rels: frozenset[Rel]) -> bool:
    return bool(MATRIX[(obj, action)] & rels)
