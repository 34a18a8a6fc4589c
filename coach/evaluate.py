"""Score the coach against the labelled dev set.

python3 -m coach.evaluate [--split tune|holdout|all] [--file PATH] [--errors]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from coach.review import review_text
from coach.types import Review

DEVSET = Path(__file__).parent / "devset"
CLASSES = ("good", "weak", "bad")
FIELD_LABELS = {
    "measurable": ("measurable", "y"),
    "outcome": ("outcome_vs_output", "outcome"),
    "has_target": ("has_target", "y"),
    "has_baseline": ("has_baseline", "y"),
}


@dataclass(frozen=True)
class Scored:
    item: dict[str, object]
    review: Review


def load(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def per_class(pairs: list[tuple[str, str]]) -> tuple[dict[str, tuple[float, float, float]], float]:
    table: dict[str, tuple[float, float, float]] = {}
    for c in CLASSES:
        tp = sum(1 for g, p in pairs if g == c and p == c)
        fp = sum(1 for g, p in pairs if g != c and p == c)
        fn = sum(1 for g, p in pairs if g == c and p != c)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        table[c] = (prec, rec, f1)
    present = [c for c in CLASSES if any(g == c for g, _ in pairs)]
    macro = sum(table[c][2] for c in present) / len(present) if present else 0.0
    return table, macro


def _labels(item: dict[str, object]) -> dict[str, str]:
    labels = item.get("labels")
    return labels if isinstance(labels, dict) else {}


def report(scored: list[Scored], show_errors: bool) -> str:
    out: list[str] = []
    for kind in ("key_result", "objective"):
        rows = [s for s in scored if s.item.get("kind") == kind]
        if not rows:
            continue
        pairs = [(_labels(s.item)["overall_quality"], s.review.verdict.value) for s in rows]
        table, macro = per_class(pairs)
        out.append(f"== {kind} (n={len(rows)}) ==")
        for c in CLASSES:
            p, r, f = table[c]
            out.append(f"  {c:5s} precision {p:.2f}  recall {r:.2f}  F1 {f:.2f}")
        out.append(f"  3-class macro-F1: {macro:.3f}")
        out.append(
            "  confusion (gold -> predicted): "
            + ", ".join(f"{g}->{p}:{n}" for (g, p), n in sorted(Counter(pairs).items()) if g != p)
        )
        if kind == "key_result":
            bad = [p for g, p in pairs if g == "bad"]
            share = sum(1 for p in bad if p == "good") / len(bad) if bad else 0.0
            out.append(
                f"  bad KRs called good: {share:.1%} ({sum(p == 'good' for p in bad)}/{len(bad)})"
            )
            for name, (key, yes) in FIELD_LABELS.items():
                pairs_f = [(_labels(s.item).get(key), getattr(s.review.fields, name)) for s in rows]
                known = [(g, v) for g, v in pairs_f if g is not None]
                acc = sum((g == yes) == v for g, v in known) / len(known) if known else 0.0
                out.append(f"  field {name:12s} accuracy {acc:.3f}")
        if show_errors:
            for s in rows:
                gold_q = _labels(s.item)["overall_quality"]
                if gold_q != s.review.verdict.value:
                    out.append(
                        f"    {gold_q:>4} -> {s.review.verdict.value:4} "
                        f"{list(s.review.rules())} | {s.item.get('text')}"
                    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m coach.evaluate")
    parser.add_argument("--split", choices=("tune", "holdout", "all"), default="tune")
    parser.add_argument("--file", type=Path, help="a JSONL file in the dev-set format")
    parser.add_argument("--errors", action="store_true", help="list misclassified items")
    args = parser.parse_args(argv)
    path = args.file or DEVSET / f"{args.split}.jsonl"
    scored = []
    for item in load(path):
        kind = item.get("kind")
        parent = item.get("parent_objective")
        review = review_text(
            str(item["text"]),
            kind=str(kind) if kind else None,
            parent_objective=str(parent) if parent else None,
        )
        scored.append(Scored(item, review))
    print(f"{path} ({len(scored)} items)")
    print(report(scored, args.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
