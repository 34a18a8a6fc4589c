"""Signals okrs sends for apps above it (okrs cannot import them). Bulk writes bypass Django's
post_save, so the services that write many key results at once say so here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.dispatch import Signal

from .models import Cycle


@dataclass(frozen=True, slots=True)
class CheckInWritten:
    """A check-in the bulk check-in wrote, with what apps above count it by (it builds no
    CheckIn instances)."""

    key_result_id: int
    cycle: Cycle
    owner_team_id: int | None  # the team of the key result's owner (None: no owner or team)
    created_at: datetime
    confidence: int
    progress: Decimal


# Sent inside the write's transaction; sender: the Organisation; key_result_ids: list[int];
# check_ins: list[CheckInWritten] when the change is new check-ins (the bulk check-in).
key_results_changed = Signal()

# Sent inside record_check_in's transaction after one check-in; sender: the Organisation;
# key_result: the KeyResult, its objective and owner loaded. The key result is written with a
# queryset update (no post_save): this signal is the check-in's notice, so apps above may treat
# a stream of check-ins differently from an edit (insights recounts a team once per moment).
check_in_recorded = Signal()
