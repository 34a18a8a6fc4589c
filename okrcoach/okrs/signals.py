"""Signals okrs sends for apps above it (okrs cannot import them). Bulk writes bypass Django's
post_save, so the services that write many key results at once say so here."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the write's transaction; sender: the Organisation; key_result_ids: list[int];
# check_ins: list[CheckIn] when the change is new check-ins (the bulk check-in), each with its
# key result, objective and cycle loaded.
key_results_changed = Signal()

# Sent inside record_check_in's transaction after one check-in; sender: the Organisation;
# key_result: the KeyResult, its objective and owner loaded. The key result is written with a
# queryset update (no post_save): this signal is the check-in's notice, so apps above may treat
# a stream of check-ins differently from an edit (insights recounts a team once per moment).
check_in_recorded = Signal()
