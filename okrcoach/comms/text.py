"""Comment text: a safe Markdown subset and @mentions.

Markdown is rendered by Python-Markdown and then cleaned by nh3 (ammonia) down to a short list
of tags: whatever the renderer lets through (raw HTML, `javascript:` links), the sanitiser
removes. A mention is `@` followed by the part of a person's email address before the `@`
(`@mia` for mia@acme.test); that handle is what the autocomplete inserts."""

from __future__ import annotations

import re

import markdown
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
MENTION = re.compile(r"(?<![\w@.])@([a-zA-Z0-9][a-zA-Z0-9._+-]{0,63})")


def render_markdown(text: str) -> str:
    html = markdown.markdown(text, extensions=[], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def handle_of(email: str) -> str:
    return email.split("@", 1)[0].lower()


def mentioned_handles(text: str) -> set[str]:
    # Trailing dots belong to the sentence, not the handle ("thanks @mia.").
    return {m.group(1).rstrip(".").lower() for m in MENTION.finditer(text)}


def open_mention(text: str) -> str | None:
    """The handle being typed at the end of the text ("... @mi" -> "mi"), for autocomplete."""
    match = re.search(r"(?:^|\s)@([a-zA-Z0-9._+-]*)$", text)
    return match.group(1).lower() if match else None
