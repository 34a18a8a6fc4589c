"""Text in another language gets no verdict and no score, and says so plainly."""

import pytest

from coach import KeyResultDraft, ObjectiveDraft, review_set
from coach.cli import main
from coach.evaluate import SET_NAMES, load_set
from coach.language import detect
from coach.review import review_text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Fidéliser les bénévoles de nos antennes régionales", "fr"),
        ("Reducir a la mitad el tiempo de espera de los pacientes en la clínica", "es"),
        ("Die Wartezeit der Mieter auf eine Reparatur halbieren", "de"),
        ("جعل المتطوعين يبقون معنا لفترة أطول", "ar"),
        ("להפוך את ההרשמה לקורס לפשוטה יותר", "he"),
    ],
)
def test_another_language_is_named_and_not_judged(text: str, lang: str) -> None:
    review = review_text(text, kind="objective")
    assert detect(text) == lang
    assert not review.reviewed and review.findings == ()
    out = review.to_dict()
    assert out["verdict"] is None and out["score"] is None
    assert "reviews English text today" in out["message"]


def test_letters_inside_an_acronym_with_digits_are_not_words() -> None:
    # "E2E" and "O2C" once read as the Portuguese "e", "e", "o"
    assert detect("Harmonise the E2E O2C process across LatAm entities") == "en"
    assert detect("Tornar o processo de compras mais simples e rápido para as lojas") == "pt"


def test_no_english_item_of_any_labelled_set_is_taken_for_another_language() -> None:
    for name in SET_NAMES:
        assert [i["id"] for i in load_set(name) if detect(i["text"]) != "en"] == []


def test_a_set_with_a_foreign_key_result_judges_only_the_english_items() -> None:
    result = review_set(
        ObjectiveDraft(text="Make renting a bike take less than a minute"),
        [
            KeyResultDraft(text="Median time from app open to unlock from 95 s to 40 s"),
            KeyResultDraft(text="Réduire le temps de location pour les nouveaux usagers"),
        ],
    )
    assert not result.key_results[1].reviewed
    assert result.to_dict()["key_results"][1]["verdict"] is None
    assert result.verdict.value in ("good", "weak", "bad")


def test_the_cli_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    main(["review", "Aumentar la satisfacción de los clientes con el nuevo servicio"])
    assert "reviews English text today" in capsys.readouterr().out
