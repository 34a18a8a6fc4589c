from __future__ import annotations

from typing import TYPE_CHECKING, cast

import pytest

from okrcoach.okrs.models import Cycle

from .factories import CycleFactory

if TYPE_CHECKING:
    from conftest import World


@pytest.fixture
def cycle(world: World) -> Cycle:
    return cast(Cycle, CycleFactory(organisation=world.org, name="Current quarter"))
