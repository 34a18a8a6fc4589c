"""The inventory the isolation sweep walks. Each app lists its id-bearing routes in
`okrcoach/<app>/tests/isolation.py` as ROUTES: {url name: Route}. A route with an id that is in
no inventory fails the sweep, so a new view cannot skip the check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Route:
    # Builds the URL kwargs (besides org_slug) for an object that belongs to `org`.
    kwargs: Callable[[Any, Any], dict[str, Any]]  # (world, org) -> kwargs
    method: str = "get"
