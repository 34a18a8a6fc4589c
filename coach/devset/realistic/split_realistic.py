#!/usr/bin/env python3
"""Split realistic-dev.jsonl ONCE into a tuning part and a held-back part (stdlib only).

    python3 coach/devset/realistic/split_realistic.py

Fixed seed, stratified by (kind, overall_quality, source_type): in each stratum the items are
shuffled with random.Random(SEED) and the first 60% (rounded) go to tuning, the rest are held
back.  The ids land in tune_ids.txt and heldback_ids.txt, which are committed: the split is
fixed by those files, and re-running the script must reproduce them byte for byte (it exits 1
and changes nothing when it would not).  Nothing may be tuned or trained on the held-back part.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent
SOURCE = HERE / "realistic-dev.jsonl"
SEED = 20261202
TUNE_SHARE = 0.6


def split() -> tuple[list[str], list[str]]:
    items = [json.loads(line) for line in SOURCE.read_text(encoding="utf-8").splitlines() if line]
    strata: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for item in items:
        strata[(item["kind"], item["overall_quality"], item["source_type"])].append(item["id"])
    rng = random.Random(SEED)
    tune: list[str] = []
    held: list[str] = []
    for key in sorted(strata):
        ids = sorted(strata[key])
        rng.shuffle(ids)
        cut = round(len(ids) * TUNE_SHARE)
        tune += ids[:cut]
        held += ids[cut:]
    return sorted(tune), sorted(held)


def main() -> int:
    tune, held = split()
    outputs = {"tune_ids.txt": tune, "heldback_ids.txt": held}
    existing = {name: HERE / name for name in outputs}
    if all(p.exists() for p in existing.values()):
        same = all(existing[name].read_text().split() == ids for name, ids in outputs.items())
        print("split unchanged" if same else "split differs from the committed ids: not written")
        return 0 if same else 1
    for name, ids in outputs.items():
        (HERE / name).write_text("\n".join(ids) + "\n")
    print(f"tuning {len(tune)} items, held back {len(held)} items")
    return 0


if __name__ == "__main__":
    sys.exit(main())
