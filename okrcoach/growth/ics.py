"""An RFC 5545 calendar file for a 1:1 series: one VEVENT with an RRULE, CRLF line ends, lines
folded at 75 octets (never inside a UTF-8 character), text values escaped. Written by hand: the
format needed here is small and the rules are few, and each is tested (tests/test_ics.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from .models import OneOnOneSeries

PRODID = "-//okrcoach//growth 1:1s//EN"


def escape_text(value: str) -> str:
    """TEXT values (RFC 5545 3.3.11): backslash, semicolon, comma and newline are escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (3.1); continuation lines start
    with one space, which counts in their 75."""
    raw = line.encode("utf-8")
    pieces: list[bytes] = []
    limit = 75
    while len(raw) > limit:
        cut = limit
        while cut > 0 and (raw[cut] & 0xC0) == 0x80:  # do not split a multi-byte character
            cut -= 1
        pieces.append(raw[:cut])
        raw = raw[cut:]
        limit = 74
    pieces.append(raw)
    return "\r\n ".join(p.decode("utf-8") for p in pieces)


def param(value: str) -> str:
    """A parameter value (3.2): quoted, since names may hold commas; quotes cannot appear."""
    return '"' + value.replace('"', "'") + '"'


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def series_ics(series: OneOnOneSeries, *, host: str, now: datetime | None = None) -> str:
    """The calendar for a series. Times are written in UTC, computed from the series' date and
    time in the site's time zone; the recurrence repeats every `rhythm_days` days."""
    now = now or timezone.now()
    start = timezone.make_aware(datetime.combine(series.first_meeting_on, series.start_time))
    end = start + timedelta(minutes=series.duration_minutes)
    manager, report = series.manager.user, series.report.user
    summary = f"1:1: {manager.full_name} / {report.full_name}"
    description = (
        "Agenda, shared notes and action items live in okrcoach. "
        "Private notes stay private to their author."
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{series.public_id}@{host}",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"RRULE:FREQ=DAILY;INTERVAL={series.rhythm_days}"
        if series.rhythm_days % 7
        else f"RRULE:FREQ=WEEKLY;INTERVAL={series.rhythm_days // 7}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"ORGANIZER;CN={param(manager.full_name)}:mailto:{manager.email}",
        f"ATTENDEE;CN={param(report.full_name)};ROLE=REQ-PARTICIPANT:mailto:{report.email}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
