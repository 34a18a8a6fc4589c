from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from okrcoach.insights.tasks import compute_training_impact_nightly


class Command(BaseCommand):
    help = "Recompute every organisation's cycle snapshots and training-impact estimates (nightly)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = compute_training_impact_nightly.call()
        self.stdout.write(f"Snapshots and training impact computed for {count} organisation(s).")
