"""Process rules that need product data rather than text (PROC-01, PROC-02)."""

from __future__ import annotations

from coach.types import Finding, Severity

CHECKIN_CADENCE_DAYS = 14


def checkin(
    last_update_age_days: float | None, cadence_days: int = CHECKIN_CADENCE_DAYS
) -> Finding | None:
    """PROC-01: a key result not updated within its cadence (never updated counts as stale)."""
    if last_update_age_days is not None and last_update_age_days <= cadence_days:
        return None
    age = "never" if last_update_age_days is None else f"{last_update_age_days:.0f} days ago"
    return Finding(
        "PROC-01-CHECKIN",
        Severity.WARNING,
        f"Stale key result: last updated {age}.",
        "What has changed since the last check-in, and how confident are you now?",
        "Record a check-in with the current value and a confidence from 1 to 10.",
    )


def compensation(scores_feed_pay: bool) -> Finding | None:
    """PROC-02: OKR scores wired into pay formulas (an organisation setting)."""
    if not scores_feed_pay:
        return None
    return Finding(
        "PROC-02-COMP",
        Severity.INFO,
        "OKR scores feed pay: people will sandbag their targets.",
        "How could reviews use the OKR story without using the score?",
        "Turn the setting off and use structured review questions instead.",
    )
