"""CSV import of people and teams: every row applies or none does (the import is one
transaction, and any error raises ImportRejected with every problem found, by line and column).
The okrs import reuses RowError and ImportRejected."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okrcoach.core.audit import audit

from .access import require_admin
from .models import Membership, Role, Team
from .services import _active_admin_count, _check_manager, _new_invitation, save_team


@dataclass
class RowError:
    line: int
    field: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    invitations: int = 0
    errors: list[RowError] = field(default_factory=list)


class ImportRejected(Exception):
    """The file had errors: nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


MAX_IMPORT_ROWS = 5000
TEAM_COLUMNS = ["name", "parent", "lead_email"]
PEOPLE_COLUMNS = ["email", "full_name", "title", "role", "team", "manager_email"]


def _read_csv(
    data: bytes, required: list[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(1, "file", _("The file is not UTF-8 text. Save it as CSV UTF-8."))]
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in headers]
    if missing:
        return [], [RowError(1, c, _("Missing column.")) for c in missing]
    reader.fieldnames = headers
    rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        line = reader.line_num
        clean = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(clean.values()):
            continue
        rows.append((line, clean))
        if len(rows) > MAX_IMPORT_ROWS:
            return [], [
                RowError(line, "file", _("At most %(n)d rows per file.") % {"n": MAX_IMPORT_ROWS})
            ]
    if not rows:
        return [], [RowError(1, "file", _("The file has no rows."))]
    return rows, []


@transaction.atomic
def import_teams_csv(*, actor: Membership, data: bytes) -> ImportResult:
    """Columns name, parent, lead_email. Parents may be existing teams or rows of the same file.
    All rows apply or none does."""
    require_admin(actor)
    org = actor.organisation
    rows, errors = _read_csv(data, ["name", "parent"])
    if errors:
        raise ImportRejected(errors)
    existing = {t.name.lower(): t for t in Team.objects.for_org(org)}
    members = {
        m.user.email.lower(): m
        for m in Membership.objects.for_org(org).filter(is_active=True).select_related("user")
    }
    names_in_file: dict[str, int] = {}
    for line, row in rows:
        name = row.get("name", "")
        if not name:
            errors.append(RowError(line, "name", _("Required.")))
            continue
        if name.lower() in names_in_file:
            errors.append(
                RowError(
                    line, "name", _("Also on line %(n)d.") % {"n": names_in_file[name.lower()]}
                )
            )
        names_in_file[name.lower()] = line
    for line, row in rows:
        parent = row.get("parent", "").lower()
        if not parent:
            errors.append(RowError(line, "parent", _("Required: every team belongs to another.")))
        elif parent not in existing and parent not in names_in_file:
            errors.append(
                RowError(line, "parent", _("No team named “%(p)s”.") % {"p": row["parent"]})
            )
        elif parent == row.get("name", "").lower():
            errors.append(RowError(line, "parent", _("A team cannot be its own parent.")))
        lead = row.get("lead_email", "").lower()
        if lead and lead not in members:
            errors.append(RowError(line, "lead_email", _("No active member with this email.")))
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    pending = list(rows)
    # Create in dependency order: a row waits until its parent exists.
    while pending:
        progressed = False
        for item in list(pending):
            line, row = item
            parent_team = existing.get(row["parent"].lower())
            if parent_team is None:
                continue
            lead_member = members.get(row.get("lead_email", "").lower())
            current = existing.get(row["name"].lower())
            if current is not None and current.parent_id is None:
                raise ImportRejected(
                    [RowError(line, "name", _("The company team cannot be moved."))]
                )
            try:
                team = save_team(
                    actor=actor,
                    team=current,
                    name=row["name"],
                    parent=parent_team,
                    lead=lead_member,
                    kind=current.kind if current else Team.Kind.TEAM,
                )
            except ValidationError as exc:
                raise ImportRejected(_errors_from(line, exc)) from exc
            if current is None:
                result.created += 1
            else:
                result.updated += 1
            existing[team.name.lower()] = team
            pending.remove(item)
            progressed = True
        if not progressed:
            raise ImportRejected(
                [
                    RowError(line, "parent", _("Teams in this file form a loop."))
                    for line, _row in pending
                ]
            )
    audit(
        actor,
        "orgs.import.teams",
        None,
        data={"created": result.created, "updated": result.updated},
    )
    return result


def _errors_from(line: int, exc: ValidationError) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [
            RowError(line, f, " ".join(str(m) for m in msgs))
            for f, msgs in exc.message_dict.items()
        ]
    return [RowError(line, "row", " ".join(exc.messages))]


@transaction.atomic
def import_people_csv(
    *, actor: Membership, data: bytes, send_invitations: bool = True
) -> ImportResult:
    """Columns email, full_name, title, role, team, manager_email. New people are invited by
    email; existing members are updated. Managers may be rows of the same file. All rows apply or
    none does."""
    require_admin(actor)
    org = actor.organisation
    rows, errors = _read_csv(data, ["email", "full_name"])
    if errors:
        raise ImportRejected(errors)
    teams_by_name = {t.name.lower(): t for t in Team.objects.for_org(org)}
    memberships = {
        m.user.email.lower(): m for m in Membership.objects.for_org(org).select_related("user")
    }
    seen: dict[str, int] = {}
    for line, row in rows:
        email = row.get("email", "").lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(RowError(line, "email", _("Not a valid email address.")))
        if email in seen:
            errors.append(RowError(line, "email", _("Also on line %(n)d.") % {"n": seen[email]}))
        seen[email] = line
        if not row.get("full_name"):
            errors.append(RowError(line, "full_name", _("Required.")))
        if len(row.get("full_name", "")) > 150:
            errors.append(RowError(line, "full_name", _("At most 150 characters.")))
        role = row.get("role", "").lower() or Role.MEMBER
        if role not in Role.values:
            errors.append(RowError(line, "role", _("Use member, admin or executive.")))
        team = row.get("team", "").lower()
        if team and team not in teams_by_name:
            errors.append(RowError(line, "team", _("No team named “%(t)s”.") % {"t": row["team"]}))
    for line, row in rows:
        manager = row.get("manager_email", "").lower()
        if manager and manager not in memberships and manager not in seen:
            errors.append(RowError(line, "manager_email", _("Not a member and not in this file.")))
        if manager and manager == row.get("email", "").lower():
            errors.append(RowError(line, "manager_email", _("A person cannot manage themselves.")))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))

    result = ImportResult()
    user_model = get_user_model()
    now = timezone.now()
    for _line, row in rows:
        email = row["email"].lower()
        role = row.get("role", "").lower() or Role.MEMBER
        row_team = teams_by_name.get(row.get("team", "").lower())
        member = memberships.get(email)
        if member is None:
            user = user_model.objects.filter(email__iexact=email).first()
            if user is None:
                user = user_model.objects.create_user(
                    email, password=None, full_name=row["full_name"], title=row.get("title", "")
                )
            member = Membership.objects.create(
                organisation=org, user=user, role=role, team=row_team, joined_at=now
            )
            memberships[email] = member
            result.created += 1
            if send_invitations and not user.has_usable_password():
                _new_invitation(
                    actor=actor,
                    email=email,
                    full_name=row["full_name"],
                    role=role,
                    team=row_team,
                    manager=None,
                )
                result.invitations += 1
        else:
            member.role, member.team = role, row_team
            member.save(update_fields=["role", "team"])
            if row.get("title") and row["title"] != member.user.title:
                member.user.title = row["title"]
                member.user.save(update_fields=["title"])
            result.updated += 1
    if _active_admin_count(org) < 1:
        raise ImportRejected([RowError(0, "role", _("The organisation needs at least one admin."))])
    for line, row in rows:
        member = memberships[row["email"].lower()]
        manager_email = row.get("manager_email", "").lower()
        new_manager = memberships.get(manager_email) if manager_email else None
        try:
            _check_manager(member, new_manager)
        except ValidationError as exc:
            raise ImportRejected(_errors_from(line, exc)) from exc
        if member.manager_id != (new_manager.pk if new_manager else None):
            member.manager = new_manager
            member.save(update_fields=["manager"])
    audit(
        actor,
        "orgs.import.people",
        None,
        data={"created": result.created, "updated": result.updated},
    )
    return result
