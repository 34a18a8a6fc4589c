"""The coach as a tool for assistants: an MCP server over stdio (`okr-coach mcp`) exposing
review_item, review_set and explain_rule. Uses the official `mcp` package (imported only here)."""

from __future__ import annotations

from typing import Any

from coach.catalogue import CATALOGUE, explain
from coach.review import review_set as _review_set
from coach.review import review_text
from coach.types import KeyResultDraft, ObjectiveDraft

MAX_TEXT = 2000
MAX_KEY_RESULTS = 20


def _check(text: str, name: str) -> None:
    if not text.strip():
        raise ValueError(f"'{name}' is empty")
    if len(text) > MAX_TEXT:
        raise ValueError(f"'{name}' is longer than {MAX_TEXT} characters")


def tool_review_item(
    text: str, kind: str | None = None, parent_objective: str | None = None
) -> dict[str, Any]:
    _check(text, "text")
    if kind not in (None, "objective", "key_result"):
        raise ValueError("kind must be 'objective' or 'key_result'")
    return review_text(text, kind=kind, parent_objective=parent_objective or None).to_dict()


def tool_review_set(objective: str, key_results: list[str]) -> dict[str, Any]:
    _check(objective, "objective")
    if len(key_results) > MAX_KEY_RESULTS:
        raise ValueError(f"at most {MAX_KEY_RESULTS} key results")
    for kr in key_results:
        _check(kr, "key_results")
    return _review_set(
        ObjectiveDraft(text=objective), [KeyResultDraft(text=kr) for kr in key_results]
    ).to_dict()


def tool_explain_rule(rule_id: str) -> dict[str, Any]:
    found = explain(rule_id)
    if found is None:
        raise ValueError(f"unknown rule {rule_id!r}; known: {', '.join(sorted(CATALOGUE))}")
    from coach.accuracy import how_often_right

    measured = how_often_right(found["id"])
    return {
        **found,
        "how_often_right": None
        if measured is None
        else {"precision": measured[0], "fired": measured[1], "set": "realistic-heldback"},
    }


def build() -> Any:
    from mcp.server.mcpserver import MCPServer

    server = MCPServer("okr-coach")

    @server.tool()
    def review_item(
        text: str, kind: str | None = None, parent_objective: str | None = None
    ) -> dict[str, Any]:
        """Review one objective or key result against okrcoach's rubric: verdict (good, weak,
        bad), score 0-100, fields and findings with a reason, a coaching question and a
        suggestion. kind is 'objective' or 'key_result' (guessed when omitted)."""
        return tool_review_item(text, kind, parent_objective)

    @server.tool()
    def review_set(objective: str, key_results: list[str]) -> dict[str, Any]:
        """Review an objective with its key results: each item's review, the set findings
        (key-result count, counter-metric, sufficiency, leading indicator) and one overall
        verdict and score."""
        return tool_review_set(objective, key_results)

    @server.tool()
    def explain_rule(rule_id: str) -> dict[str, Any]:
        """What a rule id (e.g. KR-04-OUTCOME) checks, its severity, how it is detected and how
        often it is right on real OKRs."""
        return tool_explain_rule(rule_id)

    return server


def serve() -> None:
    build().run("stdio")
