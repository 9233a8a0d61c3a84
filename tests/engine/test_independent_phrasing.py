"""Ways of asking that independent writers used and the word lists did not foresee: each test
names the mechanism, with one or two examples of its class."""

from __future__ import annotations

import pytest

from bot.engine.decisions import (
    Both,
    Check,
    Clarify,
    Dosing,
    Each,
    Fallback,
    FaqAnswer,
    Sections,
    Uncovered,
)
from bot.engine.engine import Engine

from .test_reader import talk


def test_another_form_of_our_drug_is_asked_about_not_refused(engine: Engine) -> None:
    # gabapentin enacarbil: close to gabapentin, but not the page's drug
    decision = engine.decide("gabapentin enacarbil side effects")
    assert isinstance(decision, Clarify) and decision.unknown_word == "gabapentin enacarbil"
    assert all(getattr(c, "drug", None) == "gabapentin" for c in decision.choices)


@pytest.mark.parametrize("question", ["horizant side effects", "whats horizant"])
def test_a_brand_the_knowledge_lists_is_its_drug(engine: Engine, question: str) -> None:
    # Horizant (gabapentin enacarbil) is among gabapentin's brands in knowledge/drugs
    reply = engine.ask(question)
    assert reply.kind == "answer" and reply.drug == "gabapentin"


def test_a_name_no_list_knows_is_a_drug_we_do_not_know(engine: Engine) -> None:
    asked = engine.decide("Could you tell me about the side effects of co-codamol?")
    assert asked == Fallback("unknown_drug", names=("co-codamol",))
    paired = engine.decide("co-codamol and gabapentin together ok?")
    assert paired == Fallback("drug_with_unknown", drugs=("gabapentin",), names=("co-codamol",))


def test_an_unknown_word_beside_no_drug_name_is_just_a_word(engine: Engine) -> None:
    decision = engine.decide("double whammy of side effects on gaba + ami?")
    assert not isinstance(decision, Fallback)


def test_a_question_word_before_a_unit_asks_for_a_dose(engine: Engine) -> None:
    question = "migraine prevention w/ amitriptyline - what mg do ppl usually end up on"
    assert isinstance(engine.decide(question), Dosing)


def test_how_often_a_dose_is_taken_is_context(engine: Engine) -> None:
    question = "neurontin - what are the usual side effects, i'm on 300mg three times a day"
    assert engine.decide(question) == Sections("gabapentin", ("side_effects",), 100.0)


def test_both_before_two_items_joins_the_items_not_the_drugs(engine: Engine) -> None:
    decision = engine.decide("does gaba cause both the dizziness AND the puffy ankles im getting?")
    assert isinstance(decision, Check) and decision.drug == "gabapentin"
    assert decision.found == ("Dizziness", "Swelling in hands, feet, or ankles")


@pytest.mark.parametrize(
    "question", ["how do they both work", "how do both of them work, gabapentin and amitriptyline"]
)
def test_words_pointing_at_both_drugs_may_stand_inside_a_topic(
    engine: Engine, question: str
) -> None:
    decision = engine.decide(question)
    assert isinstance(decision, Each)
    assert {getattr(p, "topics", None) for p in decision.parts} == {("how_it_works",)}


@pytest.mark.parametrize(
    "question", ["can gabapentin make you lose weight", "amitriptyline weight loss"]
)
def test_the_opposite_of_a_listed_item_is_not_that_item(engine: Engine, question: str) -> None:
    decision = engine.decide(question)
    assert isinstance(decision, Check) and decision.found == ()


def test_a_story_told_first_is_left_out_of_the_faq_match(engine: Engine) -> None:
    reply = engine.ask(
        "Good evening. My wife takes Elavil for her depression. "
        "Is it safe for her to stop it suddenly?"
    )
    assert "Tapering" in reply.body


def test_a_question_asked_of_an_unknown_drug_is_asked_again_of_ours(engine: Engine) -> None:
    _, again = talk(engine, "nortriptyline side effects?", "and amitriptyline?")
    assert again.decision == Sections("amitriptyline", ("side_effects",), 100.0)


def test_which_one_looks_up_the_item_just_checked(engine: Engine) -> None:
    *_, which, that_one = talk(
        engine,
        "whats ami used for",
        "does it work for restless legs?",
        "which one does?",
        "and does that one cause weight gain",
    )
    assert "Gabapentin" in which.body and "Restless legs" in which.body
    assert that_one.drug == "gabapentin"


def test_a_follow_up_keeps_the_unknown_drug_that_was_asked_about(engine: Engine) -> None:
    _, kept = talk(engine, "can i take tylenol with gaba", "and with ami?")
    assert kept.decision == Fallback(
        "drug_with_unknown", drugs=("amitriptyline",), names=("tylenol",)
    )
    # the unknown drug was the one taken with ours: the follow-up replaces it
    _, replaced = talk(engine, "can i take ami with my ibuprofen", "and with gabapentin?")
    assert replaced.entry == "gabapentin-amitriptyline#safe-together"


def test_both_of_them_with_nothing_said_before_is_the_only_pair(engine: Engine) -> None:
    reply = engine.ask("side effects of both of them?")
    assert reply.kind == "answer"
    assert reply.entry == "gabapentin-amitriptyline#combined-side-effects"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("can i take my gabapentin on a plane to spain", "travel"),
        ("is it ok to exercise hard on gabapentin? training for a 10k", "exercise"),
        ("my elavil tablets look different this month, is the new generic the same", "appearance"),
        ("is gabapentin safe long term", "long_term"),
    ],
)
def test_topics_the_pages_do_not_cover_are_named(engine: Engine, question: str, topic: str) -> None:
    reply = engine.ask(question)
    assert (reply.kind, reply.topic) == ("fallback", f"uncovered:{topic}")


def test_surgery_told_as_the_reason_is_no_uncovered_topic(engine: Engine) -> None:
    question = "my dad is on gabapentin after his back surgery. what side effects does it have?"
    assert engine.decide(question) == Sections("gabapentin", ("side_effects",), 100.0)


def test_each_part_of_a_two_part_question_is_answered(engine: Engine) -> None:
    decision = engine.decide("can i take gaba and ami together and will it make me sleepier?")
    assert isinstance(decision, Both)
    assert decision.first == FaqAnswer("gabapentin-amitriptyline", "safe-together", 100.0)
    assert decision.second == FaqAnswer("gabapentin-amitriptyline", "combined-side-effects", 100.0)


def test_a_part_the_pages_do_not_cover_is_said_not_dropped(engine: Engine) -> None:
    decision = engine.decide("can i drink on amitriptyline and does it make you sleepy")
    assert isinstance(decision, Both) and isinstance(decision.first, Uncovered)
    assert isinstance(decision.second, Check) and decision.second.found == ("Drowsiness",)


def test_the_same_two_questions_are_asked_again_of_the_other_drug(engine: Engine) -> None:
    _, again = talk(
        engine, "how does ami work and is it for sleep?", "same 2 questions for the other one"
    )
    assert isinstance(again.decision, Both)
    assert again.decision.first == Sections("gabapentin", ("how_it_works",), 100.0)
    assert isinstance(again.decision.second, Check) and again.decision.second.term == "insomnia"


@pytest.mark.parametrize(
    ("asked", "picked", "drug"),
    [
        ("side effects pls", "the antidepressant one", "amitriptyline"),  # its how-it-works
        ("what is it used for", "the seizure one", "gabapentin"),  # its uses
        ("how does it work", "the one for sleep", "amitriptyline"),
    ],
)
def test_a_choice_is_picked_by_what_only_its_drug_has(
    engine: Engine, asked: str, picked: str, drug: str
) -> None:
    offered, answer = talk(engine, asked, picked)
    assert offered.kind == "clarify"
    assert answer.kind == "answer" and answer.drug == drug


def test_a_dose_asked_of_it_keeps_the_thread(engine: Engine) -> None:
    *_, referred, then = talk(
        engine,
        "what is neurontin prescribed for",
        "whats the max i can take",
        "and the side effects?",
    )
    assert referred.topic == "dosing"
    assert then.kind == "answer" and then.drug == "gabapentin"


@pytest.mark.parametrize(
    "question",
    [
        "what are lyricas side effects, doc wants to switch me over from gaba",  # no apostrophe
        "can I take gabapentin with my oxy codone",  # another drug's name split in two
    ],
)
def test_another_drug_in_a_plural_or_split_is_never_answered_as_ours(
    engine: Engine, question: str
) -> None:
    reply = engine.ask(question)
    assert reply.kind == "fallback" and reply.topic == "unknown_drug"


def test_words_that_join_into_a_brand_are_no_drug(engine: Engine) -> None:
    question = "i get a head rush and see stars, is that a side effect of amitriptyline?"
    assert engine.ask(question).kind == "answer"  # "stars is" is no "Starsis"


def test_it_with_nothing_said_before_asks_which_medicine(engine: Engine) -> None:
    decision = engine.decide("does it make you sleepy?")
    assert isinstance(decision, Clarify)
    assert {getattr(c, "drug", None) for c in decision.choices} == {"gabapentin", "amitriptyline"}
    # picking one asks the question again of that medicine
    reply = talk(engine, "does it make you sleepy?", "2")[-1]
    assert reply.kind == "answer" and "drows" in reply.text.lower()


def test_it_after_a_name_no_list_knows_is_not_asked_of_ours(engine: Engine) -> None:
    decision = engine.decide("my mum is on co-codamol for her hip, is constipation normal with it")
    assert not isinstance(decision, Clarify)


@pytest.mark.parametrize(
    "question",
    ["gabapentin is fine", "my doctor said gabapentin is great", "how long does gabapentin last"],
)
def test_a_word_said_of_a_drug_is_no_item_to_call_not_listed(engine: Engine, question: str) -> None:
    assert "not among" not in engine.ask(question).text


def test_a_routine_told_before_the_question_is_not_a_dosing_question(engine: Engine) -> None:
    told = "I take amitriptyline at night and gabapentin in morning. Why doctor give both?"
    assert engine.ask(told).kind == "answer"
    assert engine.ask("I take gabapentin at night. Can I take another one?").kind == "fallback"


def test_it_in_the_question_is_the_drug_the_sentence_before_names(engine: Engine) -> None:
    story = "tried lidocaine, tried everything. my gp just prescribed gabapentin. how does it work?"
    reply = engine.ask(story)
    assert reply.kind == "answer" and reply.drug == "gabapentin"


def test_the_term_the_question_asks_about_comes_before_one_told_of(engine: Engine) -> None:
    story = "been on gaba and ami for my neuropathy. do either of them list weight gain?"
    assert "weight" in engine.ask(story).text.lower()
