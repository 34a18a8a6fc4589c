"""Read the course files (FORMAT.md), validate every field, and upsert them into the database.

Reading and validating is pure (no database): `read_course()` returns plain data or raises
`ContentInvalid` listing every problem as "file: field: message". `load_courses()` then upserts by
slug, bumps a row's version when its file's hash changes, deactivates what disappeared and never
touches learner data."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import nh3
import yaml
from django.db import transaction

from .coaching import KINDS, RUBRIC_RULE_IDS
from .models import Activity, ActivityType, Course, LearningEvent, Module

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_LESSON_WORDS = 800
MIN_QUIZ_QUESTIONS = 8
ALLOWED_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "pre",
    "hr",
    "br",
    "a",
    "img",
}


@dataclass(frozen=True)
class Problem:
    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


class ContentInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class ActivityData:
    slug: str
    type: str
    title: str
    position: int
    is_required: bool
    spec: dict[str, Any]
    content_hash: str


@dataclass
class ModuleData:
    slug: str
    number: int
    position: int
    title: str
    summary: str
    estimated_minutes: int
    learning_objectives: list[str]
    required_slugs: list[str]
    content_hash: str
    activities: list[ActivityData] = field(default_factory=list)


@dataclass
class CourseData:
    slug: str
    title: str
    summary: str
    version: int
    validity_days: int
    min_quiz_average: int
    content_hash: str
    modules: list[ModuleData] = field(default_factory=list)


class _Checker:
    """Collects problems for one file so one run reports all of them."""

    def __init__(self, problems: list[Problem], path: Path, root: Path) -> None:
        self.problems = problems
        self.path = (
            str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
        )

    def fail(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, where, message))

    def text(self, data: Any, key: str, where: str = "", *, required: bool = True) -> str:
        value = data.get(key) if isinstance(data, dict) else None
        name = f"{where}{key}"
        if value is None:
            if required:
                self.fail(name, "is missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(name, "must be a non-empty string")
            return ""
        return value

    def integer(
        self, data: Any, key: str, lo: int, hi: int, where: str = "", default: int | None = None
    ) -> int:
        value = data.get(key, default) if isinstance(data, dict) else default
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.fail(f"{where}{key}", f"must be a whole number from {lo} to {hi}")
            return lo
        return value

    def number(self, data: Any, key: str, lo: float, hi: float, where: str = "") -> float:
        value = data.get(key) if isinstance(data, dict) else None
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            self.fail(f"{where}{key}", f"must be a number from {lo} to {hi}")
            return lo
        return float(value)

    def items(self, data: Any, key: str, where: str = "", *, minimum: int = 1) -> list[Any]:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, list) or len(value) < minimum:
            self.fail(f"{where}{key}", f"must be a list of at least {minimum}")
            return []
        return value

    def unique_ids(self, entries: list[Any], where: str) -> list[str]:
        ids: list[str] = []
        for i, entry in enumerate(entries):
            ident = self.text(entry, "id", f"{where}[{i}].")
            if ident and ident in ids:
                self.fail(f"{where}[{i}].id", f"duplicate id {ident!r}")
            ids.append(ident)
        return ids


def _hash(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


# libyaml's safe loader when PyYAML was built with it: same documents, several times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, problems: list[Problem], root: Path) -> Any:
    check = _Checker(problems, path, root)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506
    except FileNotFoundError:
        check.fail("file", "does not exist")
    except yaml.YAMLError as exc:
        check.fail("yaml", f"invalid YAML: {exc}".replace("\n", " "))
    return None


def render_markdown(source: str) -> str:
    html = markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={
            "a": {"href", "title"},
            "img": {"src", "alt"},
            "th": {"align"},
            "td": {"align"},
        },
        url_schemes={"https", "http", "mailto"},
    )


def word_count(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def _lesson(check: _Checker, source: str) -> dict[str, Any]:
    lines = source.splitlines()
    if not lines or not lines[0].startswith("# "):
        check.fail("line 1", "the first line must be '# Title'")
    if re.search(r"<[a-zA-Z/!][^>]*>", source):
        check.fail("markdown", "raw HTML is not allowed")
    for match in re.finditer(r"!\[[^\]]*\]\(([^)]+)\)", source):
        if ":" in match.group(1) or match.group(1).startswith("/"):
            check.fail("markdown", f"image {match.group(1)!r} must be a local file under images/")
    body = "\n".join(lines[1:])
    return {
        "title": lines[0][2:].strip() if lines else "",
        "html": render_markdown(body),
        "words": word_count(source),
    }


def _quiz(check: _Checker, data: Any) -> None:
    check.integer(data, "pass_mark", 1, 100)
    questions = check.items(data, "questions")
    check.unique_ids(questions, "questions")
    for i, q in enumerate(questions):
        at = f"questions[{i}]."
        kind = check.text(q, "kind", at)
        if kind and kind not in ("single", "multiple"):
            check.fail(f"{at}kind", "must be 'single' or 'multiple'")
        check.text(q, "prompt", at)
        check.text(q, "explanation", at)
        if isinstance(q, dict) and "refresher" in q and not isinstance(q["refresher"], bool):
            check.fail(f"{at}refresher", "must be true or false")
        choices = check.items(q, "choices", at, minimum=3)
        if len(choices) > 5:
            check.fail(f"{at}choices", "must have 3 to 5 choices")
        correct = 0
        for j, c in enumerate(choices):
            cat = f"{at}choices[{j}]."
            check.text(c, "text", cat)
            check.text(c, "explanation", cat)
            if not isinstance(c, dict) or not isinstance(c.get("correct"), bool):
                check.fail(f"{cat}correct", "must be true or false")
            elif c["correct"]:
                correct += 1
        if choices and kind == "single" and correct != 1:
            check.fail(f"{at}choices", "a single-answer question needs exactly one correct choice")
        if choices and kind == "multiple" and correct < 1:
            check.fail(f"{at}choices", "needs at least one correct choice")


def _sorting(check: _Checker, data: Any) -> None:
    check.text(data, "instructions")
    check.integer(data, "pass_mark", 1, 100)
    categories = check.items(data, "categories", minimum=2)
    ids = set(check.unique_ids(categories, "categories"))
    for i, c in enumerate(categories):
        check.text(c, "label", f"categories[{i}].")
    entries = check.items(data, "items")
    check.unique_ids(entries, "items")
    for i, item in enumerate(entries):
        at = f"items[{i}]."
        check.text(item, "text", at)
        check.text(item, "explanation", at)
        answer = check.text(item, "answer", at)
        if answer and answer not in ids:
            check.fail(f"{at}answer", f"{answer!r} is not one of the categories")


def _flaws(check: _Checker, data: Any) -> None:
    check.text(data, "instructions")
    check.integer(data, "pass_mark", 1, 100)
    okr = data.get("okr") if isinstance(data, dict) else None
    if okr is not None:
        check.text(okr, "objective", "okr.")
        krs = check.items(okr, "key_results", "okr.")
        if any(not isinstance(k, str) for k in krs):
            check.fail("okr.key_results", "must be a list of strings")
    options = check.items(data, "options", minimum=2)
    check.unique_ids(options, "options")
    flaws = 0
    for i, o in enumerate(options):
        at = f"options[{i}]."
        check.text(o, "text", at)
        check.text(o, "explanation", at)
        if not isinstance(o, dict) or not isinstance(o.get("is_flaw"), bool):
            check.fail(f"{at}is_flaw", "must be true or false")
            continue
        flaws += o["is_flaw"]
        rule = o.get("rule")
        if rule is not None and rule not in RUBRIC_RULE_IDS:
            check.fail(f"{at}rule", f"{rule!r} is not a rule id in the coach rubric")
    if options and not flaws:
        check.fail("options", "at least one option must be a flaw")


def _rewrite(check: _Checker, data: Any) -> None:
    kind = check.text(data, "kind")
    if kind and kind not in KINDS:
        check.fail("kind", "must be 'objective' or 'key_result'")
    for key in ("instructions", "original", "model_answer"):
        check.text(data, key)
    check.text(data, "parent_objective", required=False)
    check.integer(data, "pass_score", 1, 100)
    hints = data.get("hints", []) if isinstance(data, dict) else []
    if not isinstance(hints, list) or any(not isinstance(h, str) for h in hints):
        check.fail("hints", "must be a list of strings")


def _scenario(check: _Checker, data: Any) -> None:
    check.text(data, "intro")
    check.integer(data, "pass_mark", 1, 100)
    nodes = check.items(data, "nodes")
    ids = set(check.unique_ids(nodes, "nodes"))
    start = check.text(data, "start")
    if start and start not in ids:
        check.fail("start", f"node {start!r} does not exist")
    for i, node in enumerate(nodes):
        at = f"nodes[{i}]."
        check.text(node, "text", at)
        for j, choice in enumerate(check.items(node, "choices", at)):
            cat = f"{at}choices[{j}]."
            check.text(choice, "text", cat)
            check.text(choice, "feedback", cat)
            check.integer(choice, "score", 0, 2, cat)
            nxt = choice.get("next") if isinstance(choice, dict) else None
            if nxt is not None and nxt not in ids:
                check.fail(f"{cat}next", f"node {nxt!r} does not exist")


def _calibration(check: _Checker, data: Any) -> None:
    check.text(data, "instructions")
    check.integer(data, "pass_mark", 1, 100)
    check.number(data, "tolerance", 0.01, 1.0)
    entries = check.items(data, "items")
    check.unique_ids(entries, "items")
    for i, item in enumerate(entries):
        at = f"items[{i}]."
        check.text(item, "text", at)
        check.text(item, "explanation", at)
        check.number(item, "expert_score", 0.0, 1.0, at)


def _reflection(check: _Checker, data: Any) -> None:
    check.text(data, "prompt")
    check.integer(data, "min_words", 1, 2000)
    guidance = data.get("guidance", []) if isinstance(data, dict) else []
    if not isinstance(guidance, list) or any(not isinstance(g, str) for g in guidance):
        check.fail("guidance", "must be a list of strings")


def _field(check: _Checker, data: Any) -> None:
    check.text(data, "instructions")
    event = check.text(data, "event")
    if event and event not in LearningEvent.values:
        check.fail("event", f"{event!r} is not one of {', '.join(LearningEvent.values)}")
    check.integer(data, "count", 1, 1000)


VALIDATORS = {
    ActivityType.QUIZ: _quiz,
    ActivityType.SORTING: _sorting,
    ActivityType.FLAW_SPOTTING: _flaws,
    ActivityType.REWRITE: _rewrite,
    ActivityType.SCENARIO: _scenario,
    ActivityType.CALIBRATION: _calibration,
    ActivityType.REFLECTION: _reflection,
    ActivityType.FIELD_ASSIGNMENT: _field,
}


def _read_activity(
    entry: Any,
    index: int,
    module_dir: Path,
    root: Path,
    problems: list[Problem],
    module_check: _Checker,
) -> ActivityData | None:
    at = f"activities[{index}]."
    slug = module_check.text(entry, "slug", at)
    if slug and not SLUG_RE.match(slug):
        module_check.fail(f"{at}slug", "use lowercase letters, digits and hyphens")
    kind = module_check.text(entry, "type", at)
    title = module_check.text(entry, "title", at)
    filename = module_check.text(entry, "file", at)
    if kind and kind not in ActivityType.values:
        module_check.fail(f"{at}type", f"{kind!r} is not an activity type")
        return None
    if not (slug and kind and filename):
        return None
    path = module_dir / filename
    check = _Checker(problems, path, root)
    if not path.is_file():
        module_check.fail(f"{at}file", f"{filename!r} does not exist")
        return None
    raw = path.read_bytes()
    if kind == ActivityType.LESSON:
        spec = _lesson(check, raw.decode("utf-8"))
    else:
        spec = _read_yaml(path, problems, root)
        if not isinstance(spec, dict):
            if spec is not None:
                check.fail("yaml", "the file must hold a mapping")
            return None
        VALIDATORS[ActivityType(kind)](check, spec)
    return ActivityData(
        slug=slug,
        type=kind,
        title=title,
        position=index,
        is_required=True,
        spec=spec,
        content_hash=_hash(raw),
    )


def _check_module_minimum(module: ModuleData, check: _Checker) -> None:
    lessons = [a for a in module.activities if a.type == ActivityType.LESSON]
    quizzes = [a for a in module.activities if a.type == ActivityType.QUIZ]
    if not lessons or max(a.spec["words"] for a in lessons) < MIN_LESSON_WORDS:
        check.fail("activities", f"the module needs a lesson of at least {MIN_LESSON_WORDS} words")
    if not quizzes or max(len(a.spec.get("questions") or []) for a in quizzes) < MIN_QUIZ_QUESTIONS:
        check.fail(
            "activities", f"the module needs a quiz of at least {MIN_QUIZ_QUESTIONS} questions"
        )


def _read_module(
    module_dir: Path, position: int, root: Path, problems: list[Problem]
) -> ModuleData | None:
    path = module_dir / "module.yaml"
    data = _read_yaml(path, problems, root)
    if data is None:
        return None
    check = _Checker(problems, path, root)
    if not isinstance(data, dict):
        check.fail("yaml", "the file must hold a mapping")
        return None
    slug = check.text(data, "slug")
    module = ModuleData(
        slug=slug,
        number=check.integer(data, "number", 1, 99),
        position=position,
        title=check.text(data, "title"),
        summary=check.text(data, "summary"),
        estimated_minutes=check.integer(data, "estimated_minutes", 1, 600, default=30),
        learning_objectives=[str(x) for x in check.items(data, "learning_objectives")],
        required_slugs=[],
        content_hash="",
    )
    entries = check.items(data, "activities")
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        activity = _read_activity(entry, i, module_dir, root, problems, check)
        if activity is None:
            continue
        if activity.slug in seen:
            check.fail(f"activities[{i}].slug", f"duplicate slug {activity.slug!r}")
        seen.add(activity.slug)
        module.activities.append(activity)
    completion = data.get("completion") or {}
    required = completion.get("required") if isinstance(completion, dict) else None
    if required is None:
        required = [a.slug for a in module.activities]
    elif not isinstance(required, list):
        check.fail("completion.required", "must be a list of activity slugs")
        required = []
    declared = {e.get("slug") for e in entries if isinstance(e, dict)}
    for slug_ref in required:
        if slug_ref not in declared:
            check.fail("completion.required", f"activity {slug_ref!r} does not exist in the module")
    module.required_slugs = [str(s) for s in required]
    for activity in module.activities:
        activity.is_required = activity.slug in module.required_slugs
    _check_module_minimum(module, check)
    module.content_hash = _hash(
        path.read_bytes(), *(a.content_hash.encode() for a in module.activities)
    )
    return module


def read_course(course_dir: Path, root: Path | None = None) -> CourseData:
    """Read and validate one course folder; raise ContentInvalid naming every problem."""
    root = root or course_dir.parent
    problems: list[Problem] = []
    path = course_dir / "course.yaml"
    data = _read_yaml(path, problems, root)
    check = _Checker(problems, path, root)
    if not isinstance(data, dict):
        if data is not None:
            check.fail("yaml", "the file must hold a mapping")
        raise ContentInvalid(problems)
    certificate = data.get("certificate") or {}
    course = CourseData(
        slug=check.text(data, "slug"),
        title=check.text(data, "title"),
        summary=check.text(data, "summary", required=False),
        version=check.integer(data, "version", 1, 100000, default=1),
        validity_days=check.integer(certificate, "validity_days", 1, 3650, "certificate."),
        min_quiz_average=check.integer(certificate, "min_quiz_average", 0, 100, "certificate."),
        content_hash="",
    )
    if course.slug and not SLUG_RE.match(course.slug):
        check.fail("slug", "use lowercase letters, digits and hyphens")
    order = check.items(data, "modules")
    dirs = sorted(p for p in course_dir.iterdir() if p.is_dir() and (p / "module.yaml").exists())
    by_slug: dict[str, ModuleData] = {}
    for module_dir in dirs:
        module = _read_module(module_dir, 0, root, problems)
        if module is not None and module.slug:
            by_slug[module.slug] = module
    for position, slug in enumerate(order, start=1):
        if slug not in by_slug:
            check.fail("modules", f"module {slug!r} has no folder with that slug")
            continue
        by_slug[slug].position = position
        course.modules.append(by_slug[slug])
    for slug in by_slug.keys() - set(order):
        check.fail("modules", f"module folder {slug!r} is not listed")
    if problems:
        raise ContentInvalid(problems)
    course.content_hash = _hash(
        path.read_bytes(), *(m.content_hash.encode() for m in course.modules)
    )
    return course


def read_all(root: Path = CONTENT_DIR) -> list[CourseData]:
    problems: list[Problem] = []
    courses: list[CourseData] = []
    for course_dir in sorted(p for p in root.iterdir() if (p / "course.yaml").exists()):
        try:
            courses.append(read_course(course_dir, root))
        except ContentInvalid as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentInvalid(problems)
    return courses


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.deactivated} deactivated"
        )


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any], report: LoadReport) -> Any:
    row = model.objects.filter(**lookup).first()
    if row is None:
        report.created += 1
        return model.objects.create(**lookup, **values)
    changed = row.content_hash != values["content_hash"] or not row.is_active
    fields = {k: v for k, v in values.items() if getattr(row, k) != v}
    if changed:
        if row.content_hash != values["content_hash"]:
            fields["version"] = row.version + 1
        report.updated += 1
    else:
        report.unchanged += 1
    for key, value in fields.items():
        setattr(row, key, value)
    if fields:
        row.save(update_fields=list(fields))
    return row


def load_courses(root: Path = CONTENT_DIR) -> LoadReport:
    """Validate everything first, then upsert. Rows that left the files are deactivated, not
    deleted, so learner attempts and certificates keep their references."""
    courses = read_all(root)
    with transaction.atomic():
        return _store(courses)


def _store(courses: list[CourseData]) -> LoadReport:
    report = LoadReport()
    for data in courses:
        course = _upsert(
            Course,
            {"slug": data.slug, "organisation": None},
            {
                "title": data.title,
                "summary": data.summary,
                "validity_days": data.validity_days,
                "min_quiz_average": data.min_quiz_average,
                "content_hash": data.content_hash,
                "is_active": True,
            },
            report,
        )
        module_ids = []
        for m in data.modules:
            module = _upsert(
                Module,
                {"course": course, "slug": m.slug},
                {
                    "number": m.number,
                    "position": m.position,
                    "title": m.title,
                    "summary": m.summary,
                    "estimated_minutes": m.estimated_minutes,
                    "learning_objectives": m.learning_objectives,
                    "required_slugs": m.required_slugs,
                    "content_hash": m.content_hash,
                    "is_active": True,
                },
                report,
            )
            module_ids.append(module.pk)
            activity_ids = []
            for a in m.activities:
                activity = _upsert(
                    Activity,
                    {"module": module, "slug": a.slug},
                    {
                        "type": a.type,
                        "title": a.title,
                        "position": a.position,
                        "is_required": a.is_required,
                        "spec": json.loads(json.dumps(a.spec)),
                        "content_hash": a.content_hash,
                        "is_active": True,
                    },
                    report,
                )
                activity_ids.append(activity.pk)
            report.deactivated += (
                Activity.objects.filter(module=module, is_active=True)
                .exclude(pk__in=activity_ids)
                .update(is_active=False)
            )
        report.deactivated += (
            Module.objects.filter(course=course, is_active=True)
            .exclude(pk__in=module_ids)
            .update(is_active=False)
        )
    return report
