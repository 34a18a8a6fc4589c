"""The coach must import and run with Django made unimportable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from importlib.abc import MetaPathFinder

class BlockDjango(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError("django is blocked in this test")
        return None

sys.meta_path.insert(0, BlockDjango())
import coach
review = coach.review_text("Clinic no-show rate from 20% to 12%", kind="key_result")
assert review.verdict.value == "good", review
assert not any(m == "django" or m.startswith("django.") for m in sys.modules)
print("ok")
"""


def test_coach_imports_and_reviews_without_django() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
