"""The 1:1 calendar file follows RFC 5545: CRLF line ends, lines of at most 75 octets folded
with a leading space, escaped text, one VEVENT with UID, DTSTAMP and an RRULE."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.test import Client
from django.urls import reverse

from okrcoach.growth.ics import escape_text, fold, series_ics

from .conftest import Cast, make_series


def test_folding_keeps_every_line_within_75_octets_and_never_splits_a_character() -> None:
    line = "SUMMARY:" + "Żółw " * 40
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join([pieces[0], *(p[1:] for p in pieces[1:])]) == line


def test_text_values_escape_commas_semicolons_backslashes_and_newlines() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


@pytest.mark.django_db
def test_a_series_calendar_is_one_recurring_event(cast: Cast) -> None:
    series, _meeting = make_series(cast)
    series.first_meeting_on = date(2026, 3, 2)
    series.start_time = time(9, 30)
    body = series_ics(series, host="okr.example", now=datetime(2026, 3, 1, 12, tzinfo=UTC))
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "")
    lines = body.replace("\r\n ", "").split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert f"UID:{series.public_id}@okr.example" in lines
    assert "DTSTAMP:20260301T120000Z" in lines
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2" in lines
    assert any(line.startswith("DTSTART:20260302T") for line in lines)
    assert 'ORGANIZER;CN="Mia Manager":mailto:mia@acme.test' in lines
    assert lines.count("BEGIN:VEVENT") == 1


@pytest.mark.django_db
def test_the_calendar_download_is_for_the_two_people_meeting(cast: Cast) -> None:
    series, _meeting = make_series(cast)
    url = reverse("growth:series_ics", args=[cast.world.org.slug, series.public_id])
    client = Client()
    client.force_login(cast.person.user)
    response = client.get(url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(cast.peer.user)
    assert client.get(url).status_code == 403
