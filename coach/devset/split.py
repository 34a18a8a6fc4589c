#!/usr/bin/env python3
"""Validate coach/devset/all.jsonl and split it into tune.jsonl (~60%) and holdout.jsonl (~40%).

Stdlib only.  Usage:
    python3 split.py            # validate, write tune.jsonl and holdout.jsonl
    python3 split.py --stats    # same, then print label distributions per file
    python3 split.py --check    # validate only, write nothing

Split rule (deterministic, stratified, stable when items are appended):
  * stratum = (kind, overall_quality, domain) for key results, (kind, overall_quality) for
    objectives (too few objectives per domain and class to stratify on domain too);
  * inside a stratum, items are taken in id order (ids are only ever appended);
  * the k-th item of a stratum goes to tune when floor((k+1+o)*0.6) > floor((k+o)*0.6),
    where o = sha256(stratum) mod 5; this gives exactly 3 tune : 2 holdout in every run of
    5 items of a stratum, and the offset o (a hash) spreads the rounding across strata.
  Appending new items never moves an existing item.  Relabelling an item (changing its class
  or domain) can move later items of the two strata involved; the script reports any id that
  changed file compared with the tune/holdout files already on disk.
"""

import collections
import hashlib
import json
import math
import os
import re
import sys
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
ALL = os.path.join(HERE, "all.jsonl")
OUT = {"tune": os.path.join(HERE, "tune.jsonl"), "holdout": os.path.join(HERE, "holdout.jsonl")}
TUNE_SHARE = 0.6

KINDS = {"key_result": "kr-", "objective": "obj-"}
DOMAINS = {
    "sales",
    "support",
    "engineering",
    "sre",
    "hr",
    "finance",
    "marketing",
    "product",
    "nonprofit",
    "public_sector",
    "open_source",
    "education",
    "healthcare",
    "logistics",
    "retail",
}
CLASSES = ("good", "weak", "bad")
YN = {"y", "n"}
KR_LABELS = {"overall_quality", "measurable", "outcome_vs_output", "has_target", "has_baseline"}


def norm_text(t):
    return re.sub(r"[^a-z0-9%$]+", " ", t.lower()).strip()


def validate(lines):
    errors, items, ids, texts = [], [], set(), {}
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            it = json.loads(raw)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: not JSON ({e})")
            continue
        where = f"line {n} ({it.get('id', '?')})"
        for key in ("id", "kind", "text", "domain", "labels", "note"):
            if key not in it:
                errors.append(f"{where}: missing key {key!r}")
        if any(k not in it for k in ("id", "kind", "text", "labels")):
            continue
        extra = set(it) - {"id", "kind", "text", "domain", "labels", "note", "parent_objective"}
        if extra:
            errors.append(f"{where}: unexpected keys {sorted(extra)}")
        kind, lab = it["kind"], it["labels"]
        if kind not in KINDS:
            errors.append(f"{where}: kind {kind!r} not allowed")
            continue
        if not re.fullmatch(re.escape(KINDS[kind]) + r"\d{4}", it["id"]):
            errors.append(f"{where}: id does not match kind {kind}")
        if it["id"] in ids:
            errors.append(f"{where}: duplicate id")
        ids.add(it["id"])
        if not isinstance(it["text"], str) or not it["text"].strip():
            errors.append(f"{where}: empty text")
        key = norm_text(it["text"])
        if key in texts:
            errors.append(f"{where}: duplicate text of {texts[key]}")
        texts[key] = it["id"]
        if it.get("domain") not in DOMAINS:
            errors.append(f"{where}: domain {it.get('domain')!r} not allowed")
        for k in ("text", "note", "parent_objective"):
            v = str(it.get(k, ""))
            if v != v.strip() or v.startswith("|") or v.endswith("|"):
                errors.append(f"{where}: {k} has stray whitespace or '|'")
        if not str(it.get("note", "")).strip():
            errors.append(f"{where}: empty note")
        if "parent_objective" in it and (
            kind != "key_result" or not str(it["parent_objective"]).strip()
        ):
            errors.append(f"{where}: parent_objective only on key results, non-empty")
        if not isinstance(lab, dict):
            errors.append(f"{where}: labels is not an object")
            continue
        if kind == "key_result" and set(lab) != KR_LABELS:
            errors.append(f"{where}: key result labels must be exactly {sorted(KR_LABELS)}")
        if kind == "objective" and not (
            {"overall_quality", "outcome_vs_output"} <= set(lab) <= KR_LABELS
        ):
            errors.append(f"{where}: objective labels need overall_quality and outcome_vs_output")
        if lab.get("overall_quality") not in CLASSES:
            errors.append(f"{where}: overall_quality {lab.get('overall_quality')!r}")
        if lab.get("outcome_vs_output") not in ("outcome", "output"):
            errors.append(f"{where}: outcome_vs_output {lab.get('outcome_vs_output')!r}")
        for k in ("measurable", "has_target", "has_baseline"):
            if k in lab and lab[k] not in YN:
                errors.append(f"{where}: {k} {lab[k]!r} not y/n")
        # Consistency with the labelling conventions in shared/coach-rubric.md.
        q = lab.get("overall_quality")
        if kind == "key_result":
            if q == "good" and not (
                lab["measurable"] == "y"
                and lab["outcome_vs_output"] == "outcome"
                and lab["has_target"] == "y"
            ):
                errors.append(f"{where}: a good KR must be a measurable outcome with a target")
            if lab["outcome_vs_output"] == "output" and q != "bad":
                errors.append(f"{where}: an output KR is bad by convention")
            if lab["has_baseline"] == "y" and lab["has_target"] == "n":
                errors.append(f"{where}: baseline without target")
        else:
            if q == "good" and (
                lab["outcome_vs_output"] != "outcome" or lab.get("measurable") == "y"
            ):
                errors.append(f"{where}: a good objective is qualitative and outcome-oriented")
        items.append(it)
    return errors, items


def stratum_of(it):
    # Key results: (kind, class, domain), about 7 items each.  Objectives are fewer (2-3 per
    # domain and class), so their strata are (kind, class) and domains are spread by id order
    # (items are written domain by domain).
    if it["kind"] == "key_result":
        return (it["kind"], it["labels"]["overall_quality"], it["domain"])
    return (it["kind"], it["labels"]["overall_quality"])


def offset(stratum):
    return int(hashlib.sha256("|".join(stratum).encode()).hexdigest(), 16) % 5


def assign(items):
    by_stratum = collections.defaultdict(list)
    for it in items:
        by_stratum[stratum_of(it)].append(it)
    split = {}
    for stratum, members in by_stratum.items():
        o = offset(stratum)
        for k, it in enumerate(sorted(members, key=lambda i: i["id"])):
            tune = math.floor((k + 1 + o) * TUNE_SHARE) > math.floor((k + o) * TUNE_SHARE)
            split[it["id"]] = "tune" if tune else "holdout"
    return split


def previous_assignment():
    prev = {}
    for name, path in OUT.items():
        if os.path.exists(path):
            for line in Path(path).read_text(encoding="utf-8").splitlines():
                if line.strip():
                    prev[json.loads(line)["id"]] = name
    return prev


def stats(files):
    for name, items in files.items():
        print(f"\n== {name}.jsonl: {len(items)} items")
        c = collections.Counter((i["kind"], i["labels"]["overall_quality"]) for i in items)
        for kind in KINDS:
            row = "  ".join(f"{q}={c[(kind, q)]}" for q in CLASSES)
            print(f"  {kind:<11} total={sum(c[(kind, q)] for q in CLASSES):<4} {row}")
        for kind in KINDS:
            print(f"  {kind} by domain (good/weak/bad):")
            d = collections.Counter(
                (i["domain"], i["labels"]["overall_quality"]) for i in items if i["kind"] == kind
            )
            for dom in sorted(DOMAINS):
                print(f"    {dom:<14} " + "/".join(str(d[(dom, q)]) for q in CLASSES))
        kr = [i for i in items if i["kind"] == "key_result"]
        for k in ("measurable", "outcome_vs_output", "has_target", "has_baseline"):
            print(
                f"  KR {k}: {dict(sorted(collections.Counter(i['labels'][k] for i in kr).items()))}"
            )
        print(f"  KRs with parent_objective: {sum('parent_objective' in i for i in kr)}")


def main(argv):
    with open(ALL, encoding="utf-8") as f:
        errors, items = validate(f.readlines())
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"{len(errors)} validation error(s); nothing written", file=sys.stderr)
        return 1
    print(f"all.jsonl: {len(items)} items valid")
    if "--check" in argv:
        return 0
    split = assign(items)
    prev = previous_assignment()
    moved = sorted(i for i in split if i in prev and prev[i] != split[i])
    if moved:
        print(f"WARNING: {len(moved)} item(s) changed file since the last run: {', '.join(moved)}")
    files = {name: [it for it in items if split[it["id"]] == name] for name in OUT}
    for name, path in OUT.items():
        with open(path, "w", encoding="utf-8") as f:
            for it in files[name]:
                f.write(json.dumps(it, ensure_ascii=False) + "\n")
        print(f"wrote {len(files[name])} items to {os.path.relpath(path, HERE)}")
    if "--stats" in argv:
        stats(files)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
