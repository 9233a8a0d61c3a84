"""The open-world reader: unknown words are words, abbreviations and typos are understood,
the knowledge's own words are matchable, uncovered topics and small talk are recognised, and a
conversation keeps its thread."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.authoring.importer import import_pages
from bot.engine.engine import Engine
from bot.engine.replies import Context, Reply
from bot.knowledge.loading import load_knowledge

PAGES = Path(__file__).resolve().parent.parent / "data" / "pages"


def talk(engine: Engine, *messages: str) -> list[Reply]:
    replies: list[Reply] = []
    context: Context | None = None
    for message in messages:
        reply = engine.ask(message, context)
        replies.append(reply)
        context = reply.context
    return replies


@pytest.fixture(scope="module")
def page_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A page imported with no hand-written aids."""
    root = tmp_path_factory.mktemp("pages") / "knowledge"
    import_pages([PAGES / "duloxetine-pregabalin.md"], root)
    return Engine(load_knowledge(root))


@pytest.mark.parametrize(
    "question", ["who made you", "is that safe though?", "so if i take both will it be worse"]
)
def test_an_unknown_word_is_not_taken_for_a_drug(engine: Engine, question: str) -> None:
    reply = engine.ask(question)
    assert "I don't have information about" not in reply.text


@pytest.mark.parametrize(
    ("question", "drug"),
    [("gaba side effects", "gabapentin"), ("ami side effects", "amitriptyline")],
)
def test_abbreviations_listed_in_the_drug_file_are_understood(
    engine: Engine, question: str, drug: str
) -> None:
    reply = engine.ask(question)
    assert (reply.kind, reply.drug, reply.topic) == ("answer", drug, "side_effects")


def test_nortriptyline_and_lyrica_are_other_drugs(engine: Engine) -> None:
    for question in ("nortriptyline side effects", "what is lyrica used for"):
        reply = engine.ask(question)
        assert reply.kind == "fallback"
        assert reply.drug is None


def test_spelling_is_mended_in_context(engine: Engine) -> None:
    first = engine.ask("wat about amitriptilyne")
    assert first.kind == "answer" and first.drug == "amitriptyline"
    _, second = talk(engine, "gabapentin side effects", "and how dose it work")
    assert second.entry == "gabapentin/how_it_works"


def test_a_page_without_aids_is_matched_by_its_own_words(page_engine: Engine) -> None:
    reply = page_engine.ask("does duloxetine make you sweat")
    assert reply.kind == "answer"
    assert "Increased sweating" in reply.text
    assert "not among" not in reply.text


def test_not_listed_is_said_only_when_no_item_matches(page_engine: Engine) -> None:
    reply = page_engine.ask("does duloxetine cause hair loss")
    assert reply.kind == "answer"
    assert "Hair loss is not among the common side effects listed for Duloxetine" in reply.text
    assert "Nausea" in reply.text  # the list, kept short, follows


def test_a_plural_concept_reads_naturally(engine: Engine) -> None:
    reply = engine.ask("does amitriptyline cause seizures")
    assert "Seizures are not among" in reply.text


def test_reverse_look_ups_work_on_any_knowledge(page_engine: Engine) -> None:
    reply = page_engine.ask("which one makes you sweat, duloxetine or pregabalin?")
    assert reply.kind == "answer"
    assert "Duloxetine: Increased sweating" in reply.text
    assert "Pregabalin:" not in reply.text


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("can i drink alcohol on gabapentin", "alcohol"),
        ("is amitriptyline safe while pregnant", "pregnancy"),
        ("how long until amitriptyline kicks in", "how long"),
        ("is gabapentin addictive", "addictive"),
    ],
)
def test_uncovered_topics_get_a_specific_honest_reply(
    engine: Engine, question: str, named: str
) -> None:
    reply = engine.ask(question)
    assert reply.kind == "fallback"
    assert reply.topic is not None and reply.topic.startswith("uncovered:")
    assert named in reply.text or named.split()[0] in reply.text
    assert "doctor" in reply.text or "pharmacist" in reply.text


def test_a_topic_the_page_speaks_of_is_not_uncovered(page_engine: Engine) -> None:
    """The page's FAQ speaks of driving: its words cover the topic."""
    assert "driving" in (PAGES / "duloxetine-pregabalin.md").read_text().casefold()
    reply = page_engine.ask("can i drive while im on duloxetine and pregabalin")
    assert reply.kind == "answer"


@pytest.mark.parametrize(
    "message", ["hello", "thanks!", "what can you do?", "help", "who made you"]
)
def test_small_talk_says_what_it_knows_with_examples(engine: Engine, message: str) -> None:
    reply = engine.ask(message)
    assert reply.kind == "fallback"
    assert reply.topic is not None and reply.topic.startswith("small_talk:")
    assert "Gabapentin" in reply.text


def test_the_other_one_and_both(engine: Engine) -> None:
    _, other = talk(engine, "what's amitriptyline used for", "what about the other one?")
    assert other.entry == "gabapentin/usage"
    _, both = talk(engine, "side effects of gaba", "and if i take both?")
    assert "additive" in both.text


def test_the_other_one_after_a_check_asks_the_same_check_of_the_other_drug(
    engine: Engine,
) -> None:
    """The pointer words are not an FAQ's words: an FAQ phrasing "why would my doctor add the
    other one" must not answer "what about the other one"."""
    _, other = talk(engine, "does gaba make you gain weight?", "what about the other one")
    assert type(other.decision).__name__ == "Check"
    assert other.drug == "amitriptyline" and "Why are these drugs" not in other.text


def test_a_follow_up_naming_an_unknown_drug_never_inherits(engine: Engine) -> None:
    _, lyrica, it = talk(
        engine, "how does gabapentin work", "what about lyrica?", "does it cause weight gain"
    )
    assert lyrica.kind == "fallback" and lyrica.drug is None
    assert it.kind == "fallback" and "Gabapentin" not in (it.title or "")


def test_an_invalid_choice_keeps_the_choices(engine: Engine) -> None:
    first, wrong, picked = talk(engine, "side effects?", "7", "2")
    assert first.kind == "clarify"
    assert wrong.kind == "clarify"
    assert "1 or 2" in wrong.text
    assert wrong.suggestions == first.suggestions
    assert picked.kind == "answer"


def test_two_parts_put_the_stopping_answer_first(engine: Engine) -> None:
    _, reply = talk(
        engine, "what's amitriptyline for", "can i stop it cold turkey? sick of the dry mouth"
    )
    assert reply.kind == "answer"
    text = reply.text.casefold()
    assert text.index("taper") < text.index("dry mouth")


def test_a_dose_mentioned_as_context_is_not_a_dosing_question(engine: Engine) -> None:
    reply = engine.ask("been on amitriptyline 25mg for a month, which side effects are common?")
    assert reply.kind == "answer" and "Dry mouth" in reply.text
    assert engine.ask("is 1200mg gabapentin a lot").topic == "dosing"
