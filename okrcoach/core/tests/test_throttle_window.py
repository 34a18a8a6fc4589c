"""The rate limits count over a sliding window: a burst straddling a window boundary counts
whole (a fixed window let twice the limit through, and made the coach's byte budget test pass or
fail by where the minute boundary fell)."""

from __future__ import annotations

from typing import Any

import pytest

from okrcoach.core import throttle

WINDOW = 60
BOUNDARY = 1_800_000_000 - 1_800_000_000 % WINDOW  # a window start


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    class Clock:
        now = float(BOUNDARY - 1)

    monkeypatch.setattr(throttle.time, "time", lambda: Clock.now)
    return Clock


def test_a_burst_across_the_boundary_is_counted_whole(clock: Any) -> None:
    assert throttle.take("t", "k", 10, WINDOW, amount=10).allowed
    clock.now = BOUNDARY + 1  # two seconds later, in the next fixed window
    refused = throttle.take("t", "k", 10, WINDOW)
    assert not refused.allowed
    assert 1 <= refused.retry_after <= WINDOW
    assert not throttle.peek("t", "k", 10, WINDOW).allowed


def test_the_previous_window_fades_out(clock: Any) -> None:
    assert throttle.take("t", "fade", 10, WINDOW, amount=10).allowed
    clock.now = BOUNDARY + WINDOW / 2  # half of the previous window still overlaps: counts 5
    assert throttle.take("t", "fade", 10, WINDOW, amount=5).allowed
    assert not throttle.take("t", "fade", 10, WINDOW).allowed
    clock.now = BOUNDARY + 2 * WINDOW + 1  # both windows have passed
    assert throttle.take("t", "fade", 10, WINDOW, amount=10).allowed


def test_keys_of_different_scopes_do_not_mix(clock: Any) -> None:
    assert throttle.take("a", "k", 1, WINDOW).allowed
    assert throttle.take("b", "k", 1, WINDOW).allowed
    assert not throttle.take("a", "k", 1, WINDOW).allowed
