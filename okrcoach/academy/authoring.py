"""Admins author their organisation's own courses in the UI: a course, its modules, and Markdown
lessons. These rows are visible to that organisation alone (Course.organisation is set), and a
lesson's Markdown is rendered and sanitised once, on save, like the shipped content."""

from __future__ import annotations

import hashlib

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from okrcoach.core.audit import audit
from okrcoach.orgs.models import Membership

from .loader import ALLOWED_TAGS, render_markdown, word_count
from .models import Activity, ActivityType, Course, Module

MAX_LESSON_CHARS = 40_000
# Authored lessons have nowhere to keep images, and an outside image would be an external
# resource (the product must work without any), so images are dropped.
AUTHORED_TAGS = ALLOWED_TAGS - {"img"}


def _require_admin(actor: Membership, field: str) -> None:
    if not actor.is_admin:
        raise ValidationError({field: _("Only an admin can author courses.")})


def _ensure_own_course(actor: Membership, course: Course) -> None:
    if course.organisation_id != actor.organisation_id:
        raise ValidationError({"course": _("Only your organisation's own courses can be edited.")})


def _unique_slug(base: str, taken: set[str], fallback: str) -> str:
    root = (slugify(base) or fallback)[:70].strip("-") or fallback
    slug, n = root, 2
    while slug in taken:
        slug, n = f"{root}-{n}", n + 1
    return slug


def render_lesson(markdown_source: str) -> str:
    """Markdown to the sanitised HTML a lesson page shows (no raw HTML, no images)."""
    return nh3.clean(
        render_markdown(markdown_source),
        tags=AUTHORED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"https", "http", "mailto"},
    )


@transaction.atomic
def create_course(*, actor: Membership, title: str, summary: str = "") -> Course:
    """Create a course owned by the actor's organisation. Its slug never collides with a
    shipped course, so a URL always names one course."""
    _require_admin(actor, "title")
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the course a title.")})
    taken = set(
        Course.objects.filter(
            Q(organisation__isnull=True) | Q(organisation_id=actor.organisation_id)
        ).values_list("slug", flat=True)
    )
    course = Course(
        organisation=actor.organisation,
        slug=_unique_slug(title, taken, "course"),
        title=title[:200],
        summary=summary.strip(),
    )
    course.full_clean()
    course.save()
    audit(actor, "academy.course.created", course, data={"slug": course.slug})
    return course


@transaction.atomic
def add_module(*, actor: Membership, course: Course, title: str, summary: str = "") -> Module:
    """Append a module to one of the organisation's own courses."""
    _require_admin(actor, "title")
    _ensure_own_course(actor, course)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the module a title.")})
    existing = Module.objects.filter(course=course)
    last = existing.aggregate(position=Max("position"), number=Max("number"))
    module = Module(
        course=course,
        slug=_unique_slug(title, set(existing.values_list("slug", flat=True)), "module"),
        number=(last["number"] or 0) + 1,
        position=(last["position"] or 0) + 1,
        title=title[:200],
        summary=summary.strip(),
    )
    module.full_clean(exclude=["learning_objectives", "required_slugs"])  # empty lists are fine
    module.save()
    audit(actor, "academy.module.created", course, data={"module": module.slug})
    return module


@transaction.atomic
def add_lesson(*, actor: Membership, module: Module, title: str, body: str) -> Activity:
    """Append a Markdown lesson to a module of one of the organisation's own courses."""
    _require_admin(actor, "title")
    _ensure_own_course(actor, module.course)
    title, body = title.strip(), body.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the lesson a title.")
    if not body:
        errors["body"] = _("Write the lesson.")
    elif len(body) > MAX_LESSON_CHARS:
        errors["body"] = _("Keep a lesson under %(n)s characters.") % {"n": MAX_LESSON_CHARS}
    if errors:
        raise ValidationError(errors)
    existing = Activity.objects.filter(module=module)
    position = (existing.aggregate(p=Max("position"))["p"] or 0) + 1
    lesson = Activity(
        module=module,
        slug=_unique_slug(title, set(existing.values_list("slug", flat=True)), "lesson"),
        type=ActivityType.LESSON,
        title=title[:200],
        position=position,
        spec={
            "title": title,
            "html": render_lesson(body),
            "words": word_count(body),
            "source": body,
        },
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
    )
    lesson.full_clean()
    lesson.save()
    audit(
        actor,
        "academy.lesson.created",
        module.course,
        data={"module": module.slug, "lesson": lesson.slug},
    )
    return lesson
