"""The rule tables test the rules on their own: the trained model, which can overrule a rule's
verdict, is switched off here and measured by test_quality_floor.py and test_model.py instead."""

from collections.abc import Iterator

import pytest

from coach import review


@pytest.fixture(autouse=True)
def rules_only(request: pytest.FixtureRequest) -> Iterator[None]:
    enabled = review.MODEL_ENABLED
    review.MODEL_ENABLED = request.node.get_closest_marker("with_model") is not None
    yield
    review.MODEL_ENABLED = enabled
