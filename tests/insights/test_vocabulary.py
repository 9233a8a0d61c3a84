"""Reading a logged question against the knowledge: which words are new, and which say them."""

from __future__ import annotations

import pytest

from bot.insights.vocabulary import Vocabulary
from bot.knowledge.loading import KnowledgeBase


@pytest.fixture(scope="module")
def vocab(knowledge: KnowledgeBase) -> Vocabulary:
    return Vocabulary(knowledge)


@pytest.mark.parametrize(
    ("question", "core"),
    [
        ("does gabapentin make you feel spacey", "spacey"),
        ("can gabapentin stop my pins and needles", "pins and needles"),
        ("amitriptyline and feeling like a ghost", "ghost"),
        ("is gabapentin addictive?", "addictive"),
        ("what are the side effects of gabapentin", ""),
    ],
)
def test_the_new_words_of_a_question(vocab: Vocabulary, question: str, core: str) -> None:
    assert vocab.read(question).core() == core


def test_a_reading_names_drugs_cues_and_other_drugs(vocab: Vocabulary) -> None:
    reading = vocab.read("does gabapentin make you feel spacey")
    assert reading.drugs == ("gabapentin",) and reading.cue_topics == ("side_effects",)
    assert reading.new == ("spacey",)
    other = vocab.read("what about ibuprofen side effects")
    assert other.others == (("ibuprofen", "ibuprofen"),) and other.drugs == ()


def test_words_of_a_listed_item_are_kept_at_the_start(vocab: Vocabulary) -> None:
    reading = vocab.read("does gabapentin make your ankles inflate")
    assert reading.core() == "inflate"
    assert reading.run(keep=frozenset({"ankles"})) == ["ankles", "inflate"]
