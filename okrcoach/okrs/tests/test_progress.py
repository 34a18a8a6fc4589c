from __future__ import annotations

from decimal import Decimal as D

import pytest

from okrcoach.okrs import progress


@pytest.mark.parametrize(
    ("baseline", "target", "current", "expected", "raw"),
    [
        (D(0), D(100), D(50), D("0.5"), D("0.5")),
        (D(20), D(60), D(30), D("0.25"), D("0.25")),
        (D(40), D(10), D(25), D("0.5"), D("0.5")),  # a decrease, halfway
        (D(40), D(10), D(10), D(1), D(1)),
        (D(40), D(10), D(50), D(0), D("-0.3333")),  # worse than the baseline: clamped at 0
        (D(0), D(100), D(130), D(1), D("1.3")),  # overachievement kept as raw
        (None, D(200), D(50), D("0.25"), D("0.25")),  # missing baseline counts as zero
        (D(10), D(10), D(10), D(1), D(1)),  # nothing to move: reached or not
        (D(10), D(10), D(9), D(0), D(0)),
        (D(0), None, D(5), D(0), D(0)),
        (D(0), D(10), None, D(0), D(0)),
    ],
)
def test_metric_progress_is_the_share_of_the_way_clamped_to_zero_and_one(
    baseline: D | None, target: D | None, current: D | None, expected: D, raw: D
) -> None:
    result = progress.metric_progress(baseline=baseline, target=target, current=current)
    assert result.progress == expected
    assert result.raw == raw


@pytest.mark.parametrize(("done", "expected"), [(True, D(1)), (False, D(0))])
def test_a_milestone_is_all_or_nothing(done: bool, expected: D) -> None:
    assert (
        progress.key_result_progress(kr_type="milestone", milestone_done=done).progress == expected
    )


@pytest.mark.parametrize(
    ("level", "expected", "raw"),
    [(0, D(0), D(0)), (1, D("0.5"), D("0.5")), (2, D(1), D(1)), (3, D(1), D("1.5"))],
)
def test_ordinal_levels_map_commit_target_stretch(level: int, expected: D, raw: D) -> None:
    result = progress.key_result_progress(kr_type="ordinal", ordinal_level=level)
    assert (result.progress, result.raw) == (expected, raw)


def test_objective_progress_is_the_weighted_average_of_its_key_results() -> None:
    parts = [(D(1), D("0.2")), (D(3), D("0.6"))]
    assert progress.objective_progress(key_results=parts) == D("0.5")


def test_children_count_only_when_the_organisation_says_so() -> None:
    krs = [(D(1), D("1"))]
    children = [(D(1), D("0"))]
    assert progress.objective_progress(key_results=krs, children=children) == D(1)
    assert progress.objective_progress(
        key_results=krs, children=children, include_children=True
    ) == D("0.5")


def test_contribution_links_count_with_their_weight() -> None:
    krs = [(D(1), D("1"))]
    links = [(D("0.5"), D("0.4"))]
    assert progress.objective_progress(key_results=krs, links=links) == D("0.8")


def test_no_parts_means_no_progress() -> None:
    assert progress.objective_progress(key_results=[]) == D(0)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (D("0"), "red"),
        (D("0.3"), "red"),
        (D("0.34"), "red"),
        (D("0.35"), "yellow"),
        (D("0.4"), "yellow"),
        (D("0.6"), "yellow"),
        (D("0.7"), "green"),
        (D("1.0"), "green"),
        (None, None),
    ],
)
def test_score_bands_follow_the_tenths(score: D | None, band: str | None) -> None:
    assert progress.score_band(score) == band


@pytest.mark.parametrize(
    ("kind", "score", "met"),
    [
        ("committed", D("1.0"), True),
        ("committed", D("0.9"), False),
        ("aspirational", D("0.7"), True),
        ("aspirational", D("0.6"), False),
    ],
)
def test_committed_objectives_expect_full_delivery_aspirational_seventy_percent(
    kind: str, score: D, met: bool
) -> None:
    assert progress.is_met(objective_type=kind, score=score) is met


def test_rollup_computes_children_before_parents_and_keeps_unchanged_siblings() -> None:
    nodes = [
        progress.ObjectiveNode(pk=1, parent_id=None, weight=D(1)),
        progress.ObjectiveNode(pk=2, parent_id=1, weight=D(1)),
        progress.ObjectiveNode(pk=3, parent_id=2, weight=D(1)),
    ]
    result = progress.rollup(
        nodes=nodes,
        kr_parts={3: [(D(1), D("0.8"))]},
        link_parts={},
        outside_children={1: [(D(1), D("0"))]},
        include_children=True,
    )
    assert result == {3: D("0.8"), 2: D("0.8"), 1: D("0.4")}
