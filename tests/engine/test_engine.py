"""The engine on tables of questions, one table per category, none of them from the dev set."""

from __future__ import annotations

import pytest

from bot.engine.engine import Engine
from bot.engine.replies import Context


def check(
    engine: Engine,
    question: str,
    kinds: set[str],
    has: tuple[str, ...] = (),
    has_not: tuple[str, ...] = (),
) -> None:
    reply = engine.ask(question)
    text = reply.text.casefold()
    assert reply.kind in kinds, f"{question!r} gave {reply.kind}: {reply.text[:200]}"
    for wanted in has:
        assert any(w in text for w in wanted.split("|")), f"{question!r} lacks {wanted!r}"
    for unwanted in has_not:
        assert unwanted not in text, f"{question!r} contains {unwanted!r}"


@pytest.mark.parametrize(
    ("question", "has", "has_not"),
    [
        ("gabapentin side effect", ("swell", "nausea"), ("dry mouth",)),
        ("Neurontin side effects?", ("dizziness",), ("constipation",)),
        ("what side effects does amitriptyline have", ("constipation",), ("swell",)),
        ("adverse reactions to elavil", ("dry mouth",), ("swell",)),
        ("gabapentine sideeffects", ("fatigue",), ("blurred",)),
        ("amitriptyline adverse effects list", ("blurred",), ("vomit",)),
        ("negative effects of amitriptyline", ("constipation",), ("swell",)),
        ("downsides of gabapentin", ("fatigue",), ("dry mouth",)),
    ],
)
def test_side_effects(engine: Engine, question: str, has: tuple[str], has_not: tuple[str]) -> None:
    check(engine, question, {"answer"}, has, has_not)


@pytest.mark.parametrize(
    ("question", "has", "has_not"),
    [
        ("does gabapentin make you gain weight?", ("weight gain",), ("dry mouth",)),
        ("can amitriptyline make me constipated", ("constipation",), ("swell",)),
        ("is dizziness a side effect of amitriptyline", ("dizziness",), ("swell",)),
        ("will gabapentin make me sleepy", ("drowsiness",), ("dry mouth",)),
        ("does elavil cause blurry eyes", ("blurred vision",), ("swell",)),
        ("gabapentin swollen ankles", ("swelling",), ("dry mouth",)),
        ("does amitriptyline make you dizzy when standing up", ("orthostatic",), ("swell",)),
        ("can neurontin make you feel sick", ("nausea",), ("dry mouth",)),
    ],
)
def test_side_effect_check_listed(
    engine: Engine, question: str, has: tuple[str], has_not: tuple[str]
) -> None:
    check(engine, question, {"answer"}, ("yes", *has), has_not)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("does gabapentin cause constipation?", "constipation"),
        ("does gabapentin cause dry mouth", "dry mouth"),
        ("can amitriptyline cause swelling", "swelling"),
        ("does amitriptyline make you vomit", "vomiting"),
    ],
)
def test_side_effect_check_not_listed(engine: Engine, question: str, named: str) -> None:
    reply = engine.ask(question)
    assert reply.kind == "answer"
    assert f"{named} is not among the common side effects" in reply.text.casefold()
    assert "pharmacist" in reply.text


@pytest.mark.parametrize(
    ("question", "has", "has_not"),
    [
        ("what is amitriptyline used for", ("depression",), ("restless",)),
        ("what does gabapentin treat", ("restless legs",), ("depression",)),
        ("can gabapentin help with seizures", ("seizures",), ("depression",)),
        ("is amitriptyline prescribed for nerve pain", ("neuropathic",), ("restless",)),
        ("does amitriptyline help with migraines", ("migraines",), ("restless",)),
        ("gabapentin for restless legs", ("restless legs",), ("depression",)),
        ("uses of elavil", ("insomnia",), ("restless",)),
        ("why is gabapentin prescribed", ("seizures",), ("depression",)),
    ],
)
def test_usage(engine: Engine, question: str, has: tuple[str], has_not: tuple[str]) -> None:
    check(engine, question, {"answer"}, has, has_not)


@pytest.mark.parametrize(
    ("question", "has", "has_not"),
    [
        ("how does amitriptyline work", ("serotonin",), ("spinal cord",)),
        ("mechanism of action of gabapentin", ("spinal cord",), ("tricyclic",)),
        ("what kind of drug is amitriptyline", ("tricyclic",), ("spinal cord",)),
        ("how does neurontin work in the body", ("neurotransmitters",), ("tricyclic",)),
        ("is elavil a tricyclic", ("tricyclic",), ("spinal cord",)),
        ("how does amitriptyline work on serotonin", ("serotonin",), ("spinal cord",)),
    ],
)
def test_mechanism(engine: Engine, question: str, has: tuple[str], has_not: tuple[str]) -> None:
    check(engine, question, {"answer"}, has, has_not)


@pytest.mark.parametrize(
    ("question", "has", "has_not"),
    [
        ("gabapentin", ("gabapentin", "nerve pain"), ("tricyclic",)),
        ("Elavil", ("amitriptyline", "depression"), ("restless",)),
        ("tell me about amitriptyline please", ("tricyclic",), ("restless",)),
        ("what is neurontin?", ("gabapentin",), ("tricyclic",)),
        ("info on gabapentin", ("seizures",), ("tricyclic",)),
        ("amitryptiline", ("amitriptyline",), ("restless",)),
    ],
)
def test_overview(engine: Engine, question: str, has: tuple[str], has_not: tuple[str]) -> None:
    check(engine, question, {"answer"}, has, has_not)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("why take gabapentin and amitriptyline together", "why-together"),
        ("why would my doctor add amitriptyline to my gabapentin", "why-together"),
        ("can I take gabapentin and amitriptyline at the same time", "safe-together"),
        ("is it safe to combine elavil and neurontin", "safe-together"),
        ("what side effects when taking both", "combined-side-effects"),
        ("can I just stop taking gabapentin", "stop-suddenly"),
        ("can I quit amitriptyline cold turkey", "stop-suddenly"),
        ("what happens if I stop my medication suddenly", "stop-suddenly"),
        ("withdrawal from gabapentin", "stop-suddenly"),
        ("tapering off amitriptyline", "stop-suddenly"),
        ("gabapentin amitriptyline interaction", "safe-together"),
        ("what are the risks of taking gabapentin with amitriptyline", "combined-side-effects"),
    ],
)
def test_combined_faqs(engine: Engine, question: str, entry: str) -> None:
    reply = engine.ask(question)
    assert reply.kind == "answer", reply.text
    assert reply.entry == f"gabapentin-amitriptyline#{entry}"


def test_both_drugs_without_a_question_give_the_combination(engine: Engine) -> None:
    reply = engine.ask("gabapentin and amitriptyline")
    assert reply.kind == "answer"
    assert "separate medications" in reply.text
    assert reply.entry == "gabapentin-amitriptyline"


@pytest.mark.parametrize(
    ("question", "has", "has_not"),
    [
        ("which of these causes dry mouth?", ("amitriptyline",), ("gabapentin:",)),
        ("which drugs help with nerve pain?", ("gabapentin", "amitriptyline"), ()),
        ("which medication can cause swelling", ("gabapentin",), ("amitriptyline:",)),
        ("which ones cause drowsiness", ("gabapentin", "amitriptyline"), ()),
        ("what drug here treats depression", ("amitriptyline",), ("gabapentin:",)),
        ("does either of these cause weight gain", ("gabapentin", "amitriptyline"), ()),
        (
            "what causes constipation, gabapentin or amitriptyline",
            ("amitriptyline",),
            ("gabapentin:",),
        ),
    ],
)
def test_reverse(engine: Engine, question: str, has: tuple[str], has_not: tuple[str]) -> None:
    check(engine, question, {"answer"}, has, has_not)


@pytest.mark.parametrize(
    "question",
    ["what's the capital of France", "tell me a joke", "asdfghjkl", "good morning", "thanks!"],
)
def test_off_topic(engine: Engine, question: str) -> None:
    check(engine, question, {"fallback"}, (), ("swell", "dry mouth", "tricyclic"))


@pytest.mark.parametrize(
    "question",
    [
        "nortriptyline side effects",
        "what is nortriptyline used for",
        "Lyrica side effects",
        "how does pregabalin work",
        "is ibuprofen safe",
        "what is Prozac",
        "hydrocodone side effects",
        "does sertraline cause weight gain",
        "gabapentin enacarbil side effects",
        "nortriptilin dry mouth",
    ],
)
def test_unknown_drugs_are_never_answered_as_ours(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    assert reply.kind in {"fallback", "clarify"}, reply.text
    assert reply.drug is None
    for word in ("swell", "dry mouth", "tricyclic", "restless", "neurotransmitter"):
        assert word not in reply.body.casefold()


def test_a_near_miss_is_asked_about_not_answered(engine: Engine) -> None:
    reply = engine.ask("amitripxxine side effects")
    assert reply.kind == "clarify"
    assert [s.label for s in reply.suggestions] == ["Amitriptyline: Side effects"]
    assert engine.ask(reply.suggestions[0].question).entry == "amitriptyline/side_effects"


@pytest.mark.parametrize(
    "question",
    [
        "how should I store amitriptyline",
        "what colour is the gabapentin pill",
        "can I drink alcohol on gabapentin",
        "is gabapentin safe in pregnancy",
        "how much does neurontin cost",
        "can I take amitriptyline with sertraline",
        "gabapentin and ibuprofen together",
        "how long does amitriptyline take to work",
        "what's 2+2",
    ],
)
def test_unknown_topic(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    assert reply.kind in {"fallback", "clarify"}, reply.text
    assert "swell" not in reply.text.casefold() and "dry mouth" not in reply.text.casefold()
    if reply.kind == "fallback":
        assert "pharmacist" in reply.text or "I can answer" in reply.text


def test_an_unknown_pair_is_never_implied_safe(engine: Engine) -> None:
    reply = engine.ask("is it safe to take gabapentin with tramadol")
    assert reply.kind == "fallback"
    assert "Do not assume" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        "what dosage of gabapentin should I take",
        "is 50mg of amitriptyline a lot",
        "how often can I take neurontin",
        "I missed a dose of amitriptyline what do I do",
        "can I increase my dose of gabapentin",
        "can I take 2 gabapentin at once",
        "when should I take amitriptyline",
    ],
)
def test_dosing_is_referred(engine: Engine, question: str) -> None:
    check(engine, question, {"fallback"}, ("doctor or pharmacist",), ("swell", "dry mouth"))


def test_follow_up_takes_the_topic_from_context(engine: Engine) -> None:
    first = engine.ask("side effects of gabapentin")
    second = engine.ask("what about amitriptyline?", first.context)
    assert second.entry == "amitriptyline/side_effects"


def test_follow_up_asks_the_same_side_effect_check_of_another_drug(engine: Engine) -> None:
    first = engine.ask("does gabapentin make you gain weight?")
    second = engine.ask("what about amitriptyline?", first.context)
    assert second.entry == "amitriptyline/side_effects"
    assert "Yes: weight gain is among the common side effects listed for Amitriptyline" in (
        second.text
    )


def test_follow_up_takes_the_drug_from_context(engine: Engine) -> None:
    first = engine.ask("tell me about amitriptyline")
    second = engine.ask("and how does it work?", first.context)
    assert second.entry == "amitriptyline/how_it_works"


def test_without_context_a_topic_alone_asks_which_drug(engine: Engine) -> None:
    reply = engine.ask("what are the side effects?")
    assert reply.kind == "clarify"
    assert {s.label for s in reply.suggestions} == {
        "Gabapentin: Side effects",
        "Amitriptyline: Side effects",
    }


def test_context_does_not_leak_into_a_new_drug(engine: Engine) -> None:
    reply = engine.ask("what is amitriptyline used for", Context(("gabapentin",), "side_effects"))
    assert reply.entry == "amitriptyline/usage"


def test_the_same_question_gives_the_same_reply(engine: Engine) -> None:
    assert engine.ask("gabapentin sde effects") == engine.ask("gabapentin sde effects")


def test_answer_topic_and_suggestions(engine: Engine) -> None:
    assert engine.answer_topic("gabapentin", "usage").entry == "gabapentin/usage"
    assert engine.answer_topic("amitriptyline", "overview").topic == "overview"
    labels = [s.label for s in engine.suggest("gaba side")]
    assert labels[0] == "Gabapentin: Side effects"
    assert len(engine.suggest("")) <= 25
    for suggestion in engine.suggest("stop"):
        assert engine.ask(suggestion.question).kind == "answer"
