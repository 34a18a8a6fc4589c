"""CSV import of people and teams: every row applies or none does (the import is one
transaction, and any error raises ImportRejected with every problem found, by line and column).
The okrs import reuses RowError and ImportRejected."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okrcoach.accounts.models import User
from okrcoach.core import bounds
from okrcoach.core.audit import audit

from .access import require_admin
from .models import Membership, Role, Team
from .selectors import headcount_changed
from .services import InvitedPerson, create_invitations, save_team


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


# Reading stops, and the file is refused, as soon as it holds more lines than this (empty lines
# included, so a file of a million blank rows costs no more than one of this many).
MAX_LINES_READ = 4 * MAX_IMPORT_ROWS
MAX_CELL_CHARS = 10_000


def csv_lines(data: bytes, *, max_lines: int) -> Iterator[tuple[int, list[str]]]:
    """The lines of a UTF-8 CSV file as (line number, cells), read one at a time. A file that is
    not UTF-8, has a cell over MAX_CELL_CHARS or a broken quote, or more than `max_lines`
    lines, is refused with a message (never a server error)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            [RowError(1, "file", _("The file is not UTF-8 text. Save it as CSV UTF-8."))]
        ) from exc
    reader = csv.reader(io.StringIO(text))
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if line > max_lines:
                raise ImportRejected([RowError(line, "file", _("The file has too many lines."))])
            for cell in cells:
                if len(cell) > MAX_CELL_CHARS:
                    raise ImportRejected(
                        [
                            RowError(
                                line,
                                "file",
                                _("A cell is longer than %(n)d characters.")
                                % {"n": MAX_CELL_CHARS},
                            )
                        ]
                    )
            yield line, [bounds.strip_control_characters(c) for c in cells]
    except csv.Error as exc:
        raise ImportRejected(
            [RowError(reader.line_num or line, "file", _("This line is not valid CSV."))]
        ) from exc


def _read_csv(
    data: bytes, required: list[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    try:
        return _read_csv_rows(data, required)
    except ImportRejected as exc:
        return [], exc.errors


def _read_csv_rows(
    data: bytes, required: list[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    lines = csv_lines(data, max_lines=MAX_LINES_READ)
    first = next(lines, None)
    headers = [h.strip().lower() for h in (first[1] if first else [])]
    missing = [c for c in required if c not in headers]
    if missing:
        return [], [RowError(1, c, _("Missing column.")) for c in missing]
    rows: list[tuple[int, dict[str, str]]] = []
    for line, values in lines:
        clean = {k: (v or "").strip() for k, v in zip(headers, values, strict=False) if k}
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


def _lookup_users(emails: list[str]) -> dict[str, User]:
    """Accounts of the installation by lower-cased email, in chunks (SQLite caps parameters)."""
    found: dict[str, User] = {}
    user_model = get_user_model()
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        for user in user_model.objects.filter(email__in=chunk):
            found[user.email.lower()] = user
    return found


def _manager_loops(managers: dict[str, str | None], starts: list[tuple[int, str]]) -> list[int]:
    """Lines whose person would end up above themselves, following `managers` (email → manager
    email) in memory."""
    looping: list[int] = []
    for line, email in starts:
        seen = {email}
        current = managers.get(email)
        while current is not None:
            if current in seen:
                looping.append(line)
                break
            seen.add(current)
            current = managers.get(current)
    return looping


def import_people_csv(
    *, actor: Membership, data: bytes, send_invitations: bool = True
) -> ImportResult:
    """Columns email, full_name, title, role, team, manager_email. Existing members are updated
    (role, team, manager and this organisation's job title). A person without an account of the
    installation gets one and is invited to set a password. A person who already has an
    account (another organisation's member) is only invited: they join when they accept, and
    nothing of theirs changes before. Managers may be rows of the same file. All rows apply or
    none does.

    The file is parsed and checked before the write transaction starts (on SQLite, the write
    lock is held only for the bulk writes at the end: a fixed number of queries per batch)."""
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
        for column in ("full_name", "title"):
            if message := bounds.text_error(row.get(column, ""), max_length=150):
                errors.append(RowError(line, column, message))
        role = row.get("role", "").lower() or Role.MEMBER
        if role not in Role.values:
            errors.append(RowError(line, "role", _("Use member, admin or executive.")))
        team = row.get("team", "").lower()
        if team and team not in teams_by_name:
            errors.append(RowError(line, "team", _("No team named “%(t)s”.") % {"t": row["team"]}))
    accounts = _lookup_users([e for e in seen if e not in memberships])
    # Someone with an account who is not a member here is invited, never enrolled.
    invited = {e for e in seen if e not in memberships and e in accounts}
    for line, row in rows:
        manager = row.get("manager_email", "").lower()
        if manager and manager not in memberships and manager not in seen:
            errors.append(RowError(line, "manager_email", _("Not a member and not in this file.")))
        elif manager in invited:
            errors.append(
                RowError(
                    line,
                    "manager_email",
                    _("Invited on line %(n)d, not a member until they accept.")
                    % {"n": seen[manager]},
                )
            )
        elif manager and manager in memberships and not memberships[manager].is_active:
            errors.append(
                RowError(line, "manager_email", _("The manager must be an active member."))
            )
        if manager and manager == row.get("email", "").lower():
            errors.append(RowError(line, "manager_email", _("A person cannot manage themselves.")))
    # The reporting line after the import, in memory: no loops, at least one admin.
    by_pk = {m.pk: email for email, m in memberships.items()}
    managers: dict[str, str | None] = {
        email: by_pk.get(m.manager_id) if m.manager_id else None for email, m in memberships.items()
    }
    roles = {email: (m.role, m.is_active) for email, m in memberships.items()}
    for _line, row in rows:
        email = row.get("email", "").lower()
        if email in invited:
            continue
        managers[email] = row.get("manager_email", "").lower() or None
        roles[email] = (row.get("role", "").lower() or Role.MEMBER, True)
    for line in _manager_loops(managers, [(ln, r.get("email", "").lower()) for ln, r in rows]):
        errors.append(RowError(line, "manager_email", _("That would make a reporting loop.")))
    if not errors and not any(r == Role.ADMIN and on for r, on in roles.values()):
        errors.append(RowError(0, "role", _("The organisation needs at least one admin.")))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    return _write_people(
        actor=actor,
        rows=rows,
        memberships=memberships,
        accounts=accounts,
        invited=invited,
        teams_by_name=teams_by_name,
        send_invitations=send_invitations,
    )


@transaction.atomic
def _write_people(
    *,
    actor: Membership,
    rows: list[tuple[int, dict[str, str]]],
    memberships: dict[str, Membership],
    accounts: dict[str, User],
    invited: set[str],
    teams_by_name: dict[str, Team],
    send_invitations: bool,
) -> ImportResult:
    org = actor.organisation
    result = ImportResult()
    user_model = get_user_model()
    now = timezone.now()
    new_users = [
        user_model(
            email=row["email"].lower(),
            full_name=row["full_name"],
            password=make_password(None),
        )
        for _line, row in rows
        if row["email"].lower() not in memberships and row["email"].lower() not in accounts
    ]
    user_model.objects.bulk_create(new_users, batch_size=500)
    created_users = _lookup_users([u.email for u in new_users])
    new_members: list[Membership] = []
    changed: list[Membership] = []
    invitations: list[tuple[str, dict[str, str]]] = []
    for _line, row in rows:
        email = row["email"].lower()
        role = row.get("role", "").lower() or Role.MEMBER
        team = teams_by_name.get(row.get("team", "").lower())
        if email in invited:
            invitations.append((email, row))
            continue
        member = memberships.get(email)
        if member is None:
            new_members.append(
                Membership(
                    organisation=org,
                    user=created_users[email],
                    role=role,
                    team=team,
                    title=row.get("title", ""),
                    joined_at=now,
                )
            )
            invitations.append((email, row))
            result.created += 1
        else:
            member.role, member.team = role, team
            if row.get("title"):
                member.title = row["title"]
            changed.append(member)
            result.updated += 1
    Membership.objects.for_org(org).bulk_create(new_members, batch_size=500)
    Membership.objects.for_org(org).bulk_update(changed, ["role", "team", "title"], batch_size=500)
    # Managers, now that every new member has an id: one bulk update.
    everyone = {
        m.user.email.lower(): m
        for m in Membership.objects.for_org(org)
        .select_related("user")
        .filter(
            user__email__in=[r["email"].lower() for _l, r in rows]
            + [r.get("manager_email", "").lower() for _l, r in rows if r.get("manager_email")]
        )
    }
    managed: list[Membership] = []
    for _line, row in rows:
        email = row["email"].lower()
        if email in invited:
            continue
        member = everyone[email]
        manager_email = row.get("manager_email", "").lower()
        manager_id = everyone[manager_email].pk if manager_email else None
        if member.manager_id != manager_id:
            member.manager_id = manager_id
            managed.append(member)
    Membership.objects.for_org(org).bulk_update(managed, ["manager"], batch_size=500)
    headcount_changed(org.pk)  # bulk writes send no signals
    if send_invitations or invited:
        pending = [
            (email, row) for email, row in invitations if email in invited or send_invitations
        ]
        result.invitations = len(
            create_invitations(
                actor=actor,
                people=[
                    InvitedPerson(
                        email=email,
                        full_name=row["full_name"],
                        title=row.get("title", ""),
                        role=row.get("role", "").lower() or Role.MEMBER,
                        team=teams_by_name.get(row.get("team", "").lower()),
                    )
                    for email, row in pending
                ],
            )
        )
    audit(
        actor,
        "orgs.import.people",
        None,
        data={
            "created": result.created,
            "updated": result.updated,
            "invitations": result.invitations,
        },
    )
    return result
