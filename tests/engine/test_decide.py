"""The deciding rules as a table: question -> decision, on a tiny invented knowledge base."""

from __future__ import annotations

import json

import pytest

from bot.engine.decide import MARGIN, Candidate, margin_rule
from bot.engine.decisions import (
    Check,
    Clarify,
    Combination,
    Decision,
    Dosing,
    Emergency,
    Fallback,
    FaqAnswer,
    FaqChoice,
    Overview,
    Reverse,
    Sections,
    TopicChoice,
    as_dict,
)
from bot.engine.engine import Engine
from bot.knowledge.loading import load_knowledge
from tests.engine.tinykb import write_tiny

ALL = ("melvasone", "quintorex", "zorvaline")
"""The drugs in the knowledge's order: by file name."""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = write_tiny(tmp_path_factory.mktemp("tiny") / "knowledge")
    return Engine(load_knowledge(root))


TABLE: list[tuple[str, Decision]] = [
    # one drug: a section, an overview, the class question
    ("zorvaline side effects", Sections("zorvaline", ("side_effects",))),
    ("what is zorvex used for", Sections("zorvaline", ("usage",))),
    ("how does zorvaline work", Sections("zorvaline", ("how_it_works",))),
    ("is zorvaline a zorvoid", Sections("zorvaline", ("how_it_works",))),
    ("tell me about quintorex", Overview("quintorex")),
    # a topic the drug's page lacks: the honest fallback, never another section
    ("how does quintorex work", Fallback("unknown_topic", drugs=("quintorex",))),
    # checks: the items naming the term, or none (a confident "no" only when none does)
    ("does zorvaline cause nausea", Check("zorvaline", "nausea", "side_effects", ("Nausea",))),
    ("does zorvaline make you dizzy", Check("zorvaline", "dizziness", "side_effects", ())),
    (
        "is zorvaline used for depression",
        Check("zorvaline", "depression", "usage", ("Depression",)),
    ),
    # no cue: the term is checked where it is listed, else as a side effect
    ("zorvaline depression", Check("zorvaline", "depression", "usage", ("Depression",))),
    ("quintorex nausea", Check("quintorex", "nausea", "side_effects", ())),
    # reverse look-ups: over every drug, or over the drugs named
    (
        "which medicines cause dizziness",
        Reverse("dizziness", "side_effects", ALL, (("quintorex", "Dizziness"),), everyone=True),
    ),
    (
        "what treats depression, quintorex or melvasone",
        Reverse(
            "depression",
            "usage",
            ("quintorex", "melvasone"),
            (("melvasone", "Depression"),),
            everyone=False,
        ),
    ),
    # several drugs: the combination page, its FAQ, or an honest fallback
    ("zorvaline with quintorex", Combination("zorvaline-quintorex")),
    ("melvasone and zorvaline together", Fallback("unknown_pair", ("melvasone", "zorvaline"))),
    # no drug named: choose between the drugs
    (
        "what are the side effects",
        Clarify(tuple(TopicChoice(d, "side_effects") for d in ALL), score=50.0, unknown_word=None),
    ),
    # a drug we do not know: never answered
    ("is vicodin safe", Fallback("unknown_drug", names=("vicodin",))),
    (
        "can i take vicodin with zorvaline",
        Fallback("drug_with_unknown", drugs=("zorvaline",), names=("vicodin",)),
    ),
    # safety comes first
    ("how many mg of zorvaline should i take", Dosing(("zorvaline",))),
]


@pytest.mark.parametrize(("question", "expected"), TABLE, ids=[q for q, _ in TABLE])
def test_decision_table(tiny: Engine, question: str, expected: Decision) -> None:
    assert tiny.decide(question) == expected


def test_an_faq_is_answered_when_clearly_ahead(tiny: Engine) -> None:
    decided = tiny.decide("can i stop taking zorvaline and quintorex suddenly")
    assert isinstance(decided, FaqAnswer)
    assert (decided.combination, decided.faq) == ("zorvaline-quintorex", "stop-suddenly")


def test_an_emergency_wins_over_everything(tiny: Engine) -> None:
    assert isinstance(tiny.decide("i took too many zorvaline pills"), Emergency)


def test_a_follow_up_inherits_the_drug_or_the_topic(tiny: Engine) -> None:
    first = tiny.ask("zorvaline side effects")
    assert tiny.decide("what about quintorex", first.context) == Sections(
        "quintorex", ("side_effects",)
    )
    assert tiny.decide("and how does it work?", first.context) == Sections(
        "zorvaline", ("how_it_works",)
    )


def test_the_reply_carries_its_decision_and_json_names_it(tiny: Engine) -> None:
    reply = tiny.ask("does zorvaline cause nausea")
    assert reply.decision == Check("zorvaline", "nausea", "side_effects", ("Nausea",))
    assert json.loads(json.dumps(reply.as_json("q")["decision"])) == {
        "type": "Check",
        "drug": "zorvaline",
        "term": "nausea",
        "topic": "side_effects",
        "found": ["Nausea"],
        "score": 100.0,
        "concept": "",
    }
    assert reply.disclaimer and "Nausea" in reply.body


def test_the_margin_rule_answers_when_clearly_ahead_else_clarifies() -> None:
    def candidate(faq: str, score: float) -> Candidate:
        return Candidate(FaqAnswer("c", faq, score), FaqChoice("c", faq), score)

    assert margin_rule([]) is None
    alone = margin_rule([candidate("a", 80.0)])
    assert alone == FaqAnswer("c", "a", 80.0)
    ahead = margin_rule([candidate("b", 80.0 - MARGIN), candidate("a", 80.0)])
    assert ahead == FaqAnswer("c", "a", 80.0)
    close = margin_rule([candidate("a", 80.0), candidate("b", 79.0)])
    assert close == Clarify((FaqChoice("c", "a"), FaqChoice("c", "b")), score=80.0)


def test_every_decision_of_the_table_renders_with_the_disclaimer(tiny: Engine) -> None:
    for _, expected in TABLE:
        reply = tiny.renderer.render(expected)
        assert reply.decision == expected
        assert reply.body
        assert reply.disclaimer == tiny.knowledge.messages.disclaimer
        assert as_dict(expected)["type"] == type(expected).__name__
    emergency = tiny.ask("i took too many zorvaline pills")
    assert emergency.kind == "emergency" and emergency.disclaimer is None
