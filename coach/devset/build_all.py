#!/usr/bin/env python3
"""Build all.jsonl from the hand-written source files items_*.txt (stdlib only).

Source line format (fields separated by " | "):
  K | domain | class | flags | text | note [| parent objective]
  O | domain | class | flags | text | note
class: g(ood) w(eak) b(ad).  flags: 4 chars = measurable (y/n), outcome_vs_output
(o=outcome, p=output), has_target (y/n), has_baseline (y/n).
Lines starting with # and blank lines are ignored.  IDs are assigned in file order
(items_1.txt, items_2.txt, ...), so only ever append new items to keep ids stable.
"""

import glob
import json
import os
import sys
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
Q = {"g": "good", "w": "weak", "b": "bad"}
OV = {"o": "outcome", "p": "output"}


def parse():
    items, counters = [], {"K": 0, "O": 0}
    files = sorted(
        glob.glob(os.path.join(HERE, "items_*.txt")), key=lambda p: int(os.path.basename(p)[6:-4])
    )
    for path in files:
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            while len(parts) > 6 and not parts[-1]:
                parts.pop()
            where = f"{os.path.basename(path)}:{n}"
            if parts[0] not in ("K", "O") or len(parts) < 6 or len(parts) > 7 or not all(parts[:6]):
                sys.exit(f"{where}: malformed line: {line}")
            kind, domain, q, flags, text, note = parts[:6]
            parent = parts[6] if len(parts) > 6 else ""
            if (
                q not in Q
                or len(flags) != 4
                or flags[1] not in OV
                or any(c not in "yn" for c in flags[0] + flags[2:])
            ):
                sys.exit(f"{where}: bad class/flags: {line}")
            counters[kind] += 1
            labels = {
                "overall_quality": Q[q],
                "measurable": flags[0],
                "outcome_vs_output": OV[flags[1]],
                "has_target": flags[2],
                "has_baseline": flags[3],
            }
            if kind == "K":
                item = {"id": f"kr-{counters[kind]:04d}", "kind": "key_result", "text": text}
                if parent:
                    item["parent_objective"] = parent
            else:
                item = {"id": f"obj-{counters[kind]:04d}", "kind": "objective", "text": text}
            item.update({"domain": domain, "labels": labels, "note": note})
            items.append(item)
    return items


if __name__ == "__main__":
    out = os.path.join(HERE, "all.jsonl")
    items = parse()
    with open(out, "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    print(f"wrote {len(items)} items to {out}")
