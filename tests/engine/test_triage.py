"""Safety before matching: many phrasings of an emergency, and controls that must not trigger."""

from __future__ import annotations

import pytest

from bot.engine.engine import Engine

EMERGENCIES = [
    "I took too many gabapentin",
    "i took too many pills",
    "I swallowed a whole bottle of pills",
    "overdosed on amitriptyline",
    "what happens if you overdose on gabapentin",
    "I think I OD'd",
    "took a handful of gabapentin",
    "I took 20 amitriptyline",
    "ingested 10 tablets of amitriptyline",
    "I've taken 3 times my dose",
    "i took double my gabapentin dose",
    "I accidentally took my pills twice",
    "my toddler got into my meds",
    "my son swallowed some of my pills",
    "my dog ate my amitriptyline",
    "the cat licked a gabapentin pill",
    "is amitriptyline poisonous to dogs",
    "poisoning",
    "I want to kill myself",
    "i don't want to live anymore",
    "I feel like ending it",
    "I want to end it all",
    "thinking of ending my life",
    "I don't see the point in living anymore",
    "suicidal thoughts on amitriptyline",
    "i want to hurt myself",
    "I have been self-harming",
    "I can't breathe after taking gabapentin",
    "trouble breathing",
    "my throat is closing",
    "my lips are swelling after amitriptyline",
    "having a severe allergic reaction",
    "she is unconscious and won't wake up",
    "having a seizure on gabapentin",
    "I passed out after taking gabapentin",
    "chest pain after amitriptyline",
]

NOT_EMERGENCIES = [
    "can gabapentin cause drowsiness?",
    "is gabapentin used for seizures",
    "does amitriptyline cause swelling",
    "gabapentin swelling feet",
    "how many gabapentin can I take in a day",
    "what dose of amitriptyline is normal",
    "side effects of gabapentin",
    "can I stop amitriptyline suddenly",
    "is amitriptyline used for depression",
    "which drug helps with sleep",
    "what happens if I miss a dose",
]


@pytest.mark.parametrize("question", EMERGENCIES)
def test_emergencies_get_the_emergency_reply(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    assert reply.kind == "emergency", question
    assert "emergency" in reply.text.casefold()
    assert reply.entry is None and reply.drug is None
    # never FAQ or drug-section content
    for word in ("drowsiness", "taper", "tricyclic", "swelling in hands"):
        assert word not in reply.text.casefold()


@pytest.mark.parametrize("question", NOT_EMERGENCIES)
def test_ordinary_questions_are_not_emergencies(engine: Engine, question: str) -> None:
    assert engine.ask(question).kind != "emergency"


def test_the_emergency_reply_names_the_configured_numbers(knowledge: object) -> None:
    from bot.knowledge.loading import KnowledgeBase

    assert isinstance(knowledge, KnowledgeBase)
    local = Engine(knowledge, emergency_numbers="112 (test region)")
    assert "112 (test region)" in local.ask("I overdosed").text


def test_emergency_wins_over_a_drug_and_a_topic(engine: Engine) -> None:
    reply = engine.ask("side effects of gabapentin, I took too many")
    assert reply.kind == "emergency"


@pytest.mark.parametrize(
    "question",
    ["how much gabapentin should I take", "what's the max dose of amitriptyline"],
)
def test_dosing_refers_to_a_doctor_or_pharmacist(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    assert reply.kind == "fallback"
    assert "doctor or pharmacist" in reply.text
    assert reply.topic == "dosing"
