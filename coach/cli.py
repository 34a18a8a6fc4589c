"""Command line: `okr-coach review` (JSON Lines in and out) and a readable single-item mode.

    okr-coach review < items.jsonl > reviews.jsonl
    okr-coach review "Launch the referral page" [--kind key_result] [--parent "..."]

JSONL mode writes one line per non-blank input line, in order. Blank lines are skipped and
produce no output line. A malformed line produces {"id": <id or line number>, "error": "..."}
and the run goes on. The exit status is 0 unless the input cannot be read at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from coach.review import review_text
from coach.types import Kind, Review

_KINDS = {k.value for k in Kind}


def _review_line(line: str, number: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": number, "error": f"invalid JSON: {exc.msg}"}
    if not isinstance(item, dict):
        return {"id": number, "error": "each line must be a JSON object"}
    item_id = item.get("id", number)
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        return {"id": item_id, "error": "missing or empty 'text'"}
    kind = item.get("kind")
    if kind is not None and kind not in _KINDS:
        return {"id": item_id, "error": f"unknown kind {kind!r}; use objective or key_result"}
    parent = item.get("parent_objective")
    if parent is not None and not isinstance(parent, str):
        return {"id": item_id, "error": "'parent_objective' must be a string"}
    review = review_text(text, kind=kind, parent_objective=parent or None)
    out = review.to_dict()
    out["id"] = item_id
    return out


def run_jsonl(stdin: TextIO, stdout: TextIO) -> int:
    try:
        lines = stdin.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"okr-coach: cannot read input: {exc}", file=sys.stderr)
        return 2
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        stdout.write(json.dumps(_review_line(line, number), ensure_ascii=False) + "\n")
    stdout.flush()
    return 0


def render(review: Review, text: str) -> str:
    kind = review.kind.value.replace("_", " ")
    lines = [
        f"{kind.capitalize()}: {text}",
        f"Verdict: {review.verdict.value.upper()} (score {review.score}/100)",
        "Fields: "
        + ", ".join(f"{k}={'yes' if v else 'no'}" for k, v in review.fields.to_dict().items()),
    ]
    if not review.findings:
        lines.append("No findings: this reads well.")
    for f in review.findings:
        lines += [
            "",
            f"[{f.severity.value}] {f.rule}: {f.message}",
            f"  Ask yourself: {f.question}",
            f"  Try: {f.suggestion}",
        ]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="okr-coach",
        description="Review objectives and key results against okrcoach's quality rubric.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    review = sub.add_parser(
        "review",
        help="review JSON Lines from stdin, or one text given as an argument",
        description=(
            "Without TEXT: read JSON Lines from stdin ({id, kind, text, parent_objective?}) and "
            "write one review per line, in order; blank lines are skipped, malformed lines get "
            "an {id, error} line. With TEXT: print a readable report."
        ),
    )
    review.add_argument("text", nargs="?", help="one objective or key result to review")
    review.add_argument("--kind", choices=sorted(_KINDS), help="default: guessed from the text")
    review.add_argument("--parent", help="text of the objective a key result belongs to")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.text is None:
        return run_jsonl(sys.stdin, sys.stdout)
    result = review_text(args.text, kind=args.kind, parent_objective=args.parent)
    print(render(result, args.text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
