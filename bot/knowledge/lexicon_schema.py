"""The shape of the lexicon files: topics, lay terms, word lists, synonyms, conversation."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot.knowledge.schema import Id, Strict, Text
from bot.knowledge.text import words


class Topic(Strict):
    """One topic a drug page may have a section on; see ``lexicon/topics.yaml``."""

    label: Text
    section: Literal["list", "text"]
    headings: list[Text] = []
    """Page headings that start this topic's section, for the importer."""
    phrasings: list[Text] = Field(min_length=1)
    """How people name the topic; the first is its canonical phrase, used to find FAQs on it."""
    check_cues: list[Text] = []
    can_answer: Text
    """What the bot can say on it, in "I can answer questions about X: {can_answer}, ..."."""
    can_answer_one: Text | None = None
    """The same of one drug ("what it is used for"); ``can_answer`` when not given."""
    listing: Text | None = None
    """A list topic's items, in a sentence: "is among the {listing} listed for ..."."""
    item: Text | None = None
    """One item, in a sentence: "is listed as {item} of ..."."""
    not_listed: Text | None = None
    """What to add when a term is not among the items."""
    default_check: bool = False
    """The topic a "does X ... Y?" check is about when nothing in the question says."""
    class_questions: bool = False
    """Questions naming the drug's class ("is it a TCA?") are answered with this section."""
    combined_use: bool = False
    """Asked of drugs taken together ("what is the combo used for?"), this topic is answered
    by the combination's own text (what the combination is used for and why)."""
    check_before: list[Text] = []
    """Words that follow the item a check of this topic asks about: "an anxiety med" asks
    whether the medicine is for anxiety."""


class TopicsFile(Strict):
    topics: dict[Id, Topic]

    def of_shape(self, shape: str) -> list[str]:
        return [t for t, topic in self.topics.items() if topic.section == shape]


class Term(Strict):
    id: Id
    label: Text
    listed: list[Text] = Field(min_length=1)
    said: list[Text] = Field(min_length=1)


class TermsFile(Strict):
    terms: list[Term]


class WordsFile(Strict):
    filler: list[Text]
    overview: list[Text]
    together: list[Text]
    which: list[Text]
    follow_up: list[Text]
    faq_ignore: list[Text]
    hedges: list[Text] = []
    each: list[Text] = []
    other_one: list[Text] = []
    both: list[Text] = []
    pointers: list[Text] = []
    safety_first: list[Text] = []
    """Words of a question whose FAQ comes before any uncovered topic the message also names
    ("can I stop it suddenly before I move abroad?": stopping first)."""
    one_pointer: list[Text] = []
    """Words that point at one medicine said before ("does it ..."): with nothing said
    before, the bot asks which one is meant."""
    adding: list[Text] = []
    amounts: list[Text] = []
    modifiers: list[Text] = []
    """Words in a listed item that do not name it ("increased" in "Increased sweating")."""
    opposites: list[list[Text]] = []
    """Pairs of words of opposite sense ("gain", "loss"): "weight loss" does not name "Weight
    gain"."""
    frequencies: list[Text] = []
    """How often a dose is taken ("three times a day"): context, like an amount."""
    symbols: dict[str, Text] = {}
    """Symbols that stand for words between drug names ("gaba + ami": plus)."""
    amount_judgements: list[Text] = []
    """Words that judge a stated amount ("too much", "a lot"): a dosing question."""
    prefixes: list[Text] = []
    """Prefixes written apart ("non-opioid") that belong to the next word."""
    ordinals: list[Text] = []
    """Words that pick a choice by its place ("first" is choice 1)..."""
    choosing: list[Text] = []
    """...and the words around a pick ("the", "one", "option")."""
    kinds: list[Text] = []
    """Words that say what kind of medicine ("a strong drug"), not what it is for."""
    yes_no: list[Text] = []
    """Words that open a yes/no question ("is", "does"): it checks an item..."""
    wh: list[Text] = []
    """...and words that open a question asking for something ("what", "how")."""
    taking: list[Text] = []
    """Words before two of our names joined by "and" that say both are taken ("i'm on")."""
    articles: list[Text] = []
    """Words that may stand between "both" and what it joins ("both the dizziness and ...")."""

    def faq_ignored(self) -> frozenset[str]:
        """Words left out when a question is compared with FAQs: ``faq_ignore``; "together"
        and its like (every FAQ is about drugs taken together, and the question has already
        been routed there); words that point back ("the other one": a drug of the context,
        not a question)."""
        phrases = (*self.faq_ignore, *self.together, *self.other_one)
        return frozenset(w for phrase in phrases for w in words(phrase))


class SynonymsFile(Strict):
    """Groups of words that mean the same in a question ("wean", "quit", "stop")."""

    groups: list[list[Text]] = []


class Uncovered(Strict):
    """A topic the knowledge does not cover (alcohol, pregnancy ...), recognised as such."""

    label: Text
    said: list[Text] = Field(min_length=1)
    reply: Text
    """Says what cannot be answered; ``{drug}`` is the medicine asked about (or "it")."""
    written: list[Text] = []
    """How a page says it when it does speak of the topic ("weeks" of how long it takes to
    work): a page whose texts use one of these answers instead."""


class SmallTalk(Strict):
    said: list[Text] = Field(min_length=1)
    reply: Text
    """``{drugs}`` names the medicines known, ``{examples}`` lists example questions."""


class ConversationFile(Strict):
    """What the knowledge does not cover, and small talk: recognised, and answered honestly."""

    uncovered: dict[Id, Uncovered] = {}
    small_talk: dict[Id, SmallTalk] = {}
    examples: list[Text] = []
    """Example questions shown by the small-talk replies; ``{drug}`` is a known medicine."""
    texts: dict[Id, Text] = {}
    """Reply texts of the open-world reader (listed items, choices); see conversation.yaml."""
