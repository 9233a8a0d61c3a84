"""Properties of the engine that hold for every input, checked with Hypothesis.

- Any text (every Unicode category, lone surrogates included) gets a reply of a valid kind,
  with the disclaimer where it belongs, within the length limit.
- Every FAQ's own question and each of its phrasings, with the combination's drug names put
  in anywhere or left out, is answered from that FAQ.
- A drug name with one letter changed is never answered as a different drug.
- The same question gives the same reply, from this engine or a fresh one.
- An emergency sentence among any text that says nothing about safety is an emergency.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.engine.engine import Engine
from bot.engine.replies import KINDS, MAX_TEXT, Context, Reply
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir, load_knowledge

KNOWLEDGE = load_knowledge(bundled_knowledge_dir())
"""Loaded at import so the FAQs and drug names can parametrise the strategies."""

QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BROAD = settings(QUICK, max_examples=400)


def assert_valid(reply: Reply, question: str) -> None:
    disclaimer = KNOWLEDGE.messages.disclaimer
    where = f"{question[:80]!r} gave {reply.kind}: {reply.text[:120]!r}"
    assert reply.kind in KINDS, where
    assert len(reply.text) <= MAX_TEXT, where
    if reply.kind == "emergency":
        assert "emergency" in reply.text.casefold(), where
        assert reply.entry is None, where
    else:
        assert reply.disclaimer == disclaimer, where
        assert reply.text.endswith(disclaimer), where
    if reply.kind == "clarify":
        assert 1 <= len(reply.suggestions) <= 5, where
    if reply.kind == "answer":
        assert reply.entry, where
    for unwanted in ("@everyone", "@here", "<@", "{", "}"):
        assert unwanted not in reply.text, where


# -- strategies -------------------------------------------------------------------------------

any_char = st.one_of(
    st.characters(codec=None, exclude_categories=()),
    st.characters(categories=["Cs"]),  # lone surrogates, left out of the default
    st.sampled_from("\x00\r\n\t\x85\u2028\u200b\u200f\u202e\ufeff\u0301💊@{}%$`*_<>&#"),
)
any_text = st.one_of(
    st.text(any_char, max_size=40), st.text(any_char, min_size=200, max_size=2_000)
)
"""Every code point: controls, format characters, combining marks, surrogates, unassigned."""

VOCABULARY = sorted(
    {
        w
        for combination in KNOWLEDGE.combinations.values()
        for faq in combination.faqs
        for text in (faq.question, *faq.phrasings)
        for w in text.split()
    }
    | {
        name
        for drug in KNOWLEDGE.drugs.values()
        for name in (drug.name, drug.generic_name, *drug.brands, *drug.misspellings)
    }
    | {p for topic in KNOWLEDGE.topics.topics.values() for p in topic.phrasings}
    | {said for term in KNOWLEDGE.terms.terms for said in term.said}
    | {"ibuprofen", "nortriptyline", "Lyrica", "@everyone", "<@&1>", "{drug}", "%s", "💊"}
)
SEPARATORS = [" ", "  ", ", ", "? ", "\n", "\t", " \u200b", "-", "...", " / "]

question_like = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=12)), st.sampled_from(SEPARATORS)
    ),
    max_size=40,
).map(lambda parts: "".join(word + sep for word, sep in parts))
"""Words of the knowledge in any order, with noise: reaches matching paths random text can't."""

FAQ_CASES = [
    (combination.id, faq.id, text, tuple(KNOWLEDGE.drugs[d].name for d in combination.drugs))
    for combination in KNOWLEDGE.combinations.values()
    for faq in combination.faqs
    for text in (faq.question, *faq.phrasings)
]


@st.composite
def faq_question(draw: st.DrawFn) -> tuple[str, str]:
    """An FAQ's question or phrasing, maybe with its drugs' names put in at any word
    boundaries, maybe in capitals; and the entry it must be answered from."""
    combination_id, faq_id, text, names = draw(st.sampled_from(FAQ_CASES))
    tokens = text.split()
    if draw(st.booleans()):
        for name in names:
            spelled = draw(st.sampled_from([name, name.lower(), name.upper()]))
            tokens.insert(draw(st.integers(0, len(tokens))), spelled)
    question = " ".join(tokens)
    question = draw(st.sampled_from([question, question.lower(), question.capitalize()]))
    return question, f"{combination_id}#{faq_id}"


DRUG_NAMES = [
    (drug.id, name)
    for drug in KNOWLEDGE.drugs.values()
    for name in (drug.name, drug.generic_name, *drug.brands, *drug.misspellings)
]
TYPO_TEMPLATES = [
    "{}",
    "{} side effects",
    "what is {} used for",
    "how does {} work",
    "tell me about {}",
    "does {} cause dry mouth",
    "can {} make you sleepy?",
    "is {} safe",
    "{} and alcohol",
]


@st.composite
def drug_typo(draw: st.DrawFn) -> tuple[str, str]:
    """A question naming one drug, with one letter of the name changed to another."""
    drug_id, name = draw(st.sampled_from(DRUG_NAMES))
    position = draw(st.integers(0, len(name) - 1))
    letter = draw(
        st.sampled_from("abcdefghijklmnopqrstuvwxyz").filter(lambda c: c != name[position].lower())
    )
    typo = name[:position] + letter + name[position + 1 :]
    return draw(st.sampled_from(TYPO_TEMPLATES)).format(typo), drug_id


EMERGENCIES = [
    "I took too many pills",
    "i took too many gabapentin",
    "I swallowed the whole bottle",
    "overdose",
    "I overdosed on amitriptyline",
    "my toddler ate my pills",
    "my dog swallowed my gabapentin",
    "I want to kill myself",
    "i'm feeling suicidal",
    "I don't want to live anymore",
    "I can't breathe",
    "my throat is swelling",
    "i accidentally took amitriptyline twice",
]


# -- properties -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh_engine(knowledge: KnowledgeBase) -> Engine:
    """A second engine on the same knowledge, for determinism across instances."""
    return Engine(knowledge)


@BROAD
@given(question=any_text)
def test_any_text_gets_a_valid_reply(engine: Engine, question: str) -> None:
    assert_valid(engine.ask(question), question)


@BROAD
@given(question=question_like)
def test_any_mix_of_known_words_gets_a_valid_reply(engine: Engine, question: str) -> None:
    assert_valid(engine.ask(question), question)


contexts = st.builds(
    Context,
    drugs=st.lists(
        st.sampled_from([*KNOWLEDGE.drugs, "a-drug-removed-by-a-reload", ""]), max_size=3
    ).map(tuple),
    topic=st.one_of(
        st.none(),
        st.sampled_from(
            [*KNOWLEDGE.topics.topics, "faq", "together", "overview", "dosing", "unknown_topic"]
        ),
        st.text(max_size=10),
    ),
)
"""Any previous reply's context, including one from before a reload changed the knowledge."""


@BROAD
@given(question=st.one_of(question_like, any_text), context=contexts)
def test_any_follow_up_in_any_context_gets_a_valid_reply(
    engine: Engine, question: str, context: Context
) -> None:
    reply = engine.ask(question, context)
    assert_valid(reply, question)
    assert reply.drug is None or reply.drug in KNOWLEDGE.drugs


@BROAD
@given(typed=st.one_of(question_like, any_text), limit=st.integers(1, 25))
def test_autocomplete_takes_any_text(engine: Engine, typed: str, limit: int) -> None:
    """Discord sends whatever is typed so far; choices stay within its limits (25, 100 chars)."""
    choices = engine.suggest(typed, limit)
    assert len(choices) <= limit
    assert len(set(choices)) == len(choices)
    for choice in choices:
        assert 1 <= len(choice.label) <= 100 and 1 <= len(choice.question) <= 100


def test_every_faq_text_is_answered_from_its_faq(engine: Engine) -> None:
    """Every FAQ's question and each phrasing, as written: all of them, not a sample."""
    wrong = []
    for combination_id, faq_id, text, _ in FAQ_CASES:
        reply = engine.ask(text)
        if reply.entry != f"{combination_id}#{faq_id}":
            wrong.append(f"{text!r} -> {reply.kind} {reply.entry}")
    assert not wrong, "\n".join(wrong)


@QUICK
@given(case=faq_question())
def test_faq_questions_with_or_without_drug_names_map_to_their_faq(
    engine: Engine, case: tuple[str, str]
) -> None:
    question, entry = case
    reply = engine.ask(question)
    assert reply.kind == "answer", f"{question!r} gave {reply.kind}: {reply.text[:200]!r}"
    assert reply.entry == entry, f"{question!r} answered from {reply.entry}"


@BROAD
@given(case=drug_typo())
def test_a_typo_in_a_drug_name_never_answers_about_another_drug(
    engine: Engine, case: tuple[str, str]
) -> None:
    question, drug_id = case
    reply = engine.ask(question)
    assert_valid(reply, question)
    if reply.drug in (drug_id, None):
        return
    # A combination page or FAQ is filed under its first drug: it must include this one.
    combination = KNOWLEDGE.combinations.get((reply.entry or "").split("#")[0])
    assert combination is not None and drug_id in combination.drugs, (
        f"{question!r} (a typo of {drug_id}) answered about {reply.drug}: {reply.entry}"
    )


@QUICK
@given(question=st.one_of(any_text, question_like, faq_question().map(lambda c: c[0])))
def test_the_same_question_gets_the_same_reply(
    engine: Engine, fresh_engine: Engine, question: str
) -> None:
    first = engine.ask(question)
    assert engine.ask(question) == first
    assert fresh_engine.ask(question) == first


@BROAD
@given(
    before=st.one_of(any_text, question_like),
    phrase=st.sampled_from(EMERGENCIES),
    after=st.one_of(any_text, question_like),
)
def test_an_emergency_inside_any_text_is_an_emergency(
    engine: Engine, before: str, phrase: str, after: str
) -> None:
    # Context may rightly take the alarm away ("... years ago", "what are the signs of"), so
    # the text around the emergency says nothing about safety on its own.
    assume(not engine.safety.explain(before) and not engine.safety.explain(after))
    question = f"{before}\n{phrase}\n{after}"
    reply = engine.ask(question)
    assert reply.kind == "emergency", f"{question[:200]!r} gave {reply.kind}"
    assert_valid(reply, question)
