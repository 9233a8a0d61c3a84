"""Questions the hand lexicon does not settle, decided by the knowledge's own words and the
rules of confidence: each test names the mechanism it holds, with questions of its own."""

from __future__ import annotations

import pytest

from bot.engine.decisions import Combination, FaqAnswer
from bot.engine.engine import Engine
from bot.engine.faqs import is_part_of


def test_a_question_inside_a_phrasing_must_share_a_telling_word() -> None:
    question_words = frozenset({"what", "happens", "if"})
    phrasing = {"what", "happens", "if", "stop"}
    assert not is_part_of({"what", "happens", "if"}, phrasing, question_words)
    assert is_part_of({"why", "stop"}, {"why", "stop", "abruptly"}, question_words)


@pytest.mark.parametrize(
    "question",
    [
        "what happens if you take gabapentin plus amitriptyline",
        "what happens when i take amitriptyline and gabapentin at the same time",
    ],
)
def test_question_words_alone_never_pick_an_faq(engine: Engine, question: str) -> None:
    decision = engine.decide(question)
    assert not (isinstance(decision, FaqAnswer) and decision.faq == "stop-suddenly")


@pytest.mark.parametrize(
    "question",
    [
        "what do doctors use the gabapentin and amitriptyline combination for",
        "what is taking gabapentin with amitriptyline used for",
    ],
)
def test_a_use_of_drugs_together_is_the_combination_text(engine: Engine, question: str) -> None:
    assert engine.decide(question) == Combination("gabapentin-amitriptyline")


def test_a_unit_of_another_kind_clearly_ahead_beats_the_best_faq(engine: Engine) -> None:
    decision = engine.decide("are gabapentin and amitriptyline often combined for neuropathic pain")
    assert isinstance(decision, Combination)
