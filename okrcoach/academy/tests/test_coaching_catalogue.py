"""The academy reads the coach's rule catalogue: the rule ids content may cite, and the summary
shown beside each finding of a rewrite exercise."""

from __future__ import annotations

from coach.catalogue import CATALOGUE
from okrcoach.academy.coaching import RUBRIC_RULE_IDS, review_draft


def test_content_may_cite_exactly_the_catalogued_rules() -> None:
    assert set(CATALOGUE) == RUBRIC_RULE_IDS


def test_findings_carry_the_catalogue_summary_and_advice_without_blanks() -> None:
    review = review_draft("Post the job adverts on three boards", kind="key_result")
    assert review.findings
    for f in review.findings:
        assert f.summary == CATALOGUE[f.rule].summary
        assert "_%" not in f.advice and "<" not in f.advice
    stored = review.to_dict()["findings"]
    assert isinstance(stored, list) and "summary" in stored[0]
