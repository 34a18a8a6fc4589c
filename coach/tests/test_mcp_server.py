"""Drive `okr-coach mcp` as an assistant would: a real MCP client over stdio."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

ROOT = Path(__file__).resolve().parents[2]


def _payload(result: Any) -> Any:
    structured = getattr(result, "structured_content", None)
    if structured is None:
        structured = getattr(result, "structuredContent", None)
    if structured is not None:
        return structured.get("result", structured) if isinstance(structured, dict) else structured
    return json.loads(result.content[0].text)


async def _session_run() -> dict[str, Any]:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "coach.cli", "mcp"], cwd=str(ROOT)
    )
    out: dict[str, Any] = {}
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        out["tools"] = sorted(t.name for t in (await session.list_tools()).tools)
        out["item"] = _payload(
            await session.call_tool(
                "review_item", {"text": "Publish the volunteer handbook", "kind": "key_result"}
            )
        )
        out["set"] = _payload(
            await session.call_tool(
                "review_set",
                {
                    "objective": "Volunteers stay with us through the winter",
                    "key_results": ["Volunteers active in February rise from 40% to 60%"],
                },
            )
        )
        out["rule"] = _payload(
            await session.call_tool("explain_rule", {"rule_id": "kr-04-outcome"})
        )
        bad = await session.call_tool("explain_rule", {"rule_id": "NOPE-01"})
        out["unknown_is_error"] = bool(getattr(bad, "is_error", getattr(bad, "isError", False)))
    return out


def _run_in_own_thread() -> dict:
    """The client gets an event loop of its own: another test (or plugin) may have left one
    running in the main thread, and anyio refuses to start a second there."""
    result: dict = {}
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.update(anyio.run(_session_run))
        except BaseException as exc:  # re-raised in the test's own thread below
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the MCP session did not finish in 120 s"
    if errors:
        raise errors[0]
    return result


def test_an_assistant_can_list_and_call_the_three_tools() -> None:
    out = _run_in_own_thread()
    assert out["tools"] == ["explain_rule", "review_item", "review_set"]
    assert out["item"]["verdict"] == "bad"
    assert "KR-04-OUTCOME" in {f["rule"] for f in out["item"]["findings"]}
    assert out["set"]["verdict"] in ("good", "weak", "bad")
    assert "SET-01-KR-COUNT" in {f["rule"] for f in out["set"]["findings"]}
    assert out["rule"]["id"] == "KR-04-OUTCOME" and out["rule"]["severity"] == "blocking"
    assert out["unknown_is_error"]
