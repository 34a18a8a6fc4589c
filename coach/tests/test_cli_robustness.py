"""Any input: per-line errors, the run goes on, one output line per non-blank line, in order."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.cli import MAX_TEXT, run_jsonl
from coach.review import review_text

ROOT = Path(__file__).resolve().parents[2]


def review_bytes(data: bytes) -> list[dict]:
    out = io.StringIO()
    assert run_jsonl(io.BytesIO(data), out) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def kr(item_id: str, text: str = "Tenants who renew online rise from 30% to 45%") -> bytes:
    return json.dumps({"id": item_id, "kind": "key_result", "text": text}).encode()


def test_a_byte_order_mark_does_not_lose_the_first_item() -> None:
    rows = review_bytes(b"\xef\xbb\xbf" + kr("first") + b"\n" + kr("second"))
    assert [r["id"] for r in rows] == ["first", "second"]
    assert all("error" not in r for r in rows)


def test_deep_nesting_invalid_utf8_nul_and_overlength_are_per_line_errors() -> None:
    lines = [
        kr("a"),
        b"[" * 5_000 + b"]" * 5_000,
        b'{"id": "bad-utf8", "text": "caf\xe9"}',
        b'{"id": "nul", "text": "Grow\x00 it"}',
        json.dumps({"id": "esc-nul", "text": "Grow\u0000 it"}).encode(),
        kr("long", "word " * (MAX_TEXT // 5 + 1)),
        kr("z"),
    ]
    rows = review_bytes(b"\n".join(lines))
    assert len(rows) == len(lines)
    assert "error" not in rows[0] and "error" not in rows[-1]
    assert [r["id"] for r in rows] == ["a", 2, 3, 4, "esc-nul", "long", "z"]
    assert all("error" in r for r in rows[1:-1])
    assert "nested" in rows[1]["error"] and "UTF-8" in rows[2]["error"]
    assert "longer than 2000" in rows[5]["error"]


def test_the_subprocess_survives_a_crafted_file() -> None:
    data = b"\xef\xbb\xbf" + kr("one") + b"\n" + b"{" * 100_000 + b"\n\xff\xfe\n" + kr("two")
    done = subprocess.run(
        [sys.executable, "-m", "coach.cli", "review"],
        input=data,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0
    ids = [json.loads(line)["id"] for line in done.stdout.decode().splitlines()]
    assert ids == ["one", 2, 3, "two"]


def test_review_time_does_not_grow_with_length() -> None:
    """The rules read a bounded window: 20,000 characters cost about what 2,000 do."""
    for piece in ("1,", "1.", "by 10% ", "a", "from 1 to "):
        review_text(piece * 10, kind="key_result")
        timings = []
        for n in (2_000, 20_000):
            start = time.perf_counter()
            review_text((piece * n)[:n], kind="key_result")
            timings.append(time.perf_counter() - start)
        assert timings[1] < max(5 * timings[0], 0.05), (piece, timings)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_items = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=8), "text": st.text(max_size=300)},
    optional={
        "kind": st.sampled_from(["objective", "key_result", "initiative"]),
        "parent_objective": st.text(max_size=80) | st.integers(),
    },
)
_lines = st.one_of(
    _items.map(lambda d: json.dumps(d).encode()),
    _json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=120).filter(lambda b: b"\n" not in b),
    st.text(max_size=120).map(lambda t: t.replace("\n", " ").encode("utf-8", "surrogatepass")),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_lines, min_size=1, max_size=8))
def test_any_lines_never_crash_and_keep_order(lines: list[bytes]) -> None:
    rows = review_bytes(b"\n".join(lines))
    expected = [n for n, line in enumerate(lines, start=1) if line.strip()]
    blank_after_decode = []
    for n, line in enumerate(lines, start=1):
        try:
            if not line.decode("utf-8").removeprefix("\ufeff").strip():
                blank_after_decode.append(n)
        except UnicodeDecodeError:
            pass
    expected = [n for n in range(1, len(lines) + 1) if n not in blank_after_decode]
    assert len(rows) == len(expected)
    for row, n in zip(rows, expected, strict=True):
        assert "error" in row or row["verdict"] in ("good", "weak", "bad", None)
        if "error" in row and isinstance(row["id"], int):
            assert row["id"] == n


def test_unicode_line_separators_stay_inside_one_output_line() -> None:
    """Found by hypothesis: an id of U+0085 split the output line for splitlines() readers."""
    out = io.StringIO()
    run_jsonl(io.BytesIO(b'{"id": "\\u0085", "text": "Grow\\u2028it"}\n' + kr("z")), out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["id"] == "\u0085"
