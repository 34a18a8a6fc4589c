"""Command line: `okr-coach review` (JSON Lines in and out) and a readable single-item mode.

    okr-coach review < items.jsonl > reviews.jsonl
    okr-coach review "Launch the referral page" [--kind key_result] [--parent "..."]
    okr-coach rules                   # the rule catalogue: id, severity, summary, detection

Each finding carries `rewrite` (a new title that reviews strictly better, or null) and, when
there is none, `example`: a worked example for the item's domain (coach.examples).

JSONL mode writes one line per non-blank input line, in order. Blank lines are skipped and
produce no output line. A malformed line produces {"id": <id or line number>, "error": "..."}
and the run goes on. The exit status is 0 unless the input cannot be read at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, BinaryIO, TextIO

from coach import examples
from coach.catalogue import CATALOGUE
from coach.language import NOT_ENGLISH
from coach.review import review_text
from coach.types import Kind, Review

_KINDS = {k.value for k in Kind}


MAX_TEXT = 2000  # the API's limit too (okrcoach/okrs/api_coach.py)
MAX_LINE_BYTES = 64_000
MAX_DEPTH = 20
BOM = "\ufeff"


def _depth(raw: str) -> int:
    """Deepest bracket nesting outside strings, in one linear pass (before json.loads)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _review_line(line: str, number: int) -> dict[str, Any]:
    if "\x00" in line:
        return {"id": number, "error": "the line contains a NUL byte"}
    if _depth(line) > MAX_DEPTH:
        return {"id": number, "error": f"JSON nested deeper than {MAX_DEPTH} levels"}
    try:
        item = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return {"id": number, "error": f"invalid JSON: {msg}"}
    if not isinstance(item, dict):
        return {"id": number, "error": "each line must be a JSON object"}
    item_id = item.get("id", number)
    if not isinstance(item_id, str | int) or isinstance(item_id, bool):
        item_id = number
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        return {"id": item_id, "error": "missing or empty 'text'"}
    if len(text) > MAX_TEXT:
        return {"id": item_id, "error": f"'text' is longer than {MAX_TEXT} characters"}
    if "\x00" in text:
        return {"id": item_id, "error": "'text' contains a NUL character"}
    kind = item.get("kind")
    if kind is not None and kind not in _KINDS:
        return {"id": item_id, "error": f"unknown kind {kind!r}; use objective or key_result"}
    parent = item.get("parent_objective")
    if parent is not None and not isinstance(parent, str):
        return {"id": item_id, "error": "'parent_objective' must be a string"}
    if parent is not None and len(parent) > MAX_TEXT:
        return {"id": item_id, "error": f"'parent_objective' is longer than {MAX_TEXT} characters"}
    review = review_text(text, kind=kind, parent_objective=parent or None)
    out = examples.attach(review, review.to_dict(), text, parent or "")
    out["id"] = item_id
    return out


def _decode(raw: bytes, number: int) -> str | dict[str, Any]:
    if len(raw) > MAX_LINE_BYTES:
        return {"id": number, "error": f"the line is longer than {MAX_LINE_BYTES} bytes"}
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {"id": number, "error": f"invalid UTF-8 at byte {exc.start}"}
    return text.removeprefix(BOM).rstrip("\r")


# Characters Python's str.splitlines() (and some readers) treat as line breaks; json.dumps leaves
# them raw with ensure_ascii=False, which would split one output line into two.
_LINE_BREAKS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _one_line(text: str) -> str:
    for raw, escaped in _LINE_BREAKS.items():
        text = text.replace(raw, escaped)
    return text


def run_jsonl(stdin: BinaryIO | TextIO, stdout: TextIO) -> int:
    """Review JSON Lines; every non-blank line gets exactly one output line, in order."""
    try:
        data = stdin.read()
    except OSError as exc:
        print(f"okr-coach: cannot read input: {exc}", file=sys.stderr)
        return 2
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        line = _decode(chunk, number)
        if isinstance(line, str):
            if not line.strip():
                continue
            try:
                out = _review_line(line, number)
            except Exception as exc:
                out = {"id": number, "error": f"could not review this item ({type(exc).__name__})"}
        else:
            out = line
        stdout.write(_one_line(json.dumps(out, ensure_ascii=False)) + "\n")
    stdout.flush()
    return 0


def render(review: Review, text: str, parent: str = "") -> str:
    kind = review.kind.value.replace("_", " ")
    if not review.reviewed:
        return f"{kind.capitalize()}: {text}\n{NOT_ENGLISH} (detected: {review.language})"
    lines = [
        f"{kind.capitalize()}: {text}",
        f"Verdict: {review.verdict.value.upper()} (score {review.score}/100)",
        "Fields: "
        + ", ".join(f"{k}={'yes' if v else 'no'}" for k, v in review.fields.to_dict().items()),
    ]
    if not review.findings:
        lines.append("No findings: this reads well.")
    for f in review.findings:
        rule = CATALOGUE.get(f.rule)
        lines += [
            "",
            f"[{f.severity.value}] {f.rule}" + (f" ({rule.summary})" if rule else ""),
            f"  {f.message}",
            f"  Ask yourself: {f.question}",
        ]
        if tip := examples.advice(f):
            lines.append(f"  Try: {tip}")
        if f.rewrite:
            lines.append(f"  Suggested rewrite: {f.rewrite}")
    if (example := examples.review_example(review, text, parent)) is not None:
        lines += ["", example.text(review.kind)]
    return "\n".join(lines)


def render_rules() -> str:
    """The rule catalogue, one rule a line: id, severity, summary; how it is detected below."""
    lines = [f"{len(CATALOGUE)} rules (blocking: needs work; warning: weak; info: a tip)", ""]
    for rule in CATALOGUE.values():
        lines.append(f"{rule.id:26s} {rule.severity.value:8s} {rule.summary}")
        lines.append(f"{'':35s} detected by: {rule.detection}")
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
    sub.add_parser(
        "accuracy",
        help="print how often each rule is right on the evaluation sets (shipped figures)",
    )
    rules = sub.add_parser("rules", help="list the rule catalogue (id, severity, summary)")
    rules.add_argument("--json", action="store_true", help="one JSON object per rule, per line")
    sub.add_parser("mcp", help="serve review_item, review_set and explain_rule over MCP (stdio)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "accuracy":
        from coach.accuracy import render as render_accuracy

        print(render_accuracy())
        return 0
    if args.command == "rules":
        if args.json:
            for rule in CATALOGUE.values():
                print(json.dumps(rule.to_dict(), ensure_ascii=False))
        else:
            print(render_rules())
        return 0
    if args.command == "mcp":
        from coach.mcp_server import serve

        serve()
        return 0
    if args.text is None:
        return run_jsonl(sys.stdin.buffer, sys.stdout)
    result = review_text(args.text, kind=args.kind, parent_objective=args.parent)
    print(render(result, args.text, args.parent or ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
