"""Reading a question: which drugs, topics, lay terms and cue words it contains.

The result, an :class:`Analysis`, is what :mod:`bot.engine.engine` decides on. Everything here is
driven by the knowledge's lexicon; nothing about any particular drug is written in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.engine.drugs import DrugFinder, DrugMention
from bot.engine.phrases import PhraseIndex, Speller
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.text import words

MAX_WORDS = 80
"""Words of a question that are read; a longer message is cut, not refused."""

Cue = str
"""One of: overview, together, which, follow_up, or "check:<topic>"."""


@dataclass
class Analysis:
    tokens: list[str]
    drugs: list[str] = field(default_factory=list)
    others: list[DrugMention] = field(default_factory=list)
    near: list[DrugMention] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    cues: set[Cue] = field(default_factory=set)
    classes: list[str] = field(default_factory=list)
    """Drugs whose class the question names ("is amitriptyline a TCA?")."""
    leftover: list[str] = field(default_factory=list)
    """Words nothing in the knowledge accounts for: a topic the knowledge may not cover."""
    content: list[str] = field(default_factory=list)
    """The words without drug names, for comparing with FAQ phrasings."""
    unknown: list[str] = field(default_factory=list)
    """Words not in the knowledge's vocabulary at all: often a drug we have never heard of."""

    def has(self, cue: Cue) -> bool:
        return cue in self.cues


class Lexicon:
    """Every index built once from the knowledge; :meth:`analyse` is then cheap."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.drug_finder = DrugFinder(knowledge)
        self.topics = PhraseIndex(
            (phrasing, topic_id)
            for topic_id, topic in knowledge.topics.topics.items()
            for phrasing in topic.phrasings
        )
        self.terms = PhraseIndex(
            (said, term.id) for term in knowledge.terms.terms for said in term.said
        )
        lists = knowledge.words
        cue_entries: list[tuple[str, Cue]] = [
            *((p, "overview") for p in lists.overview),
            *((p, "together") for p in lists.together),
            *((p, "which") for p in lists.which),
            *((p, "follow_up") for p in lists.follow_up),
        ]
        self.cues = PhraseIndex(cue_entries)
        self.checks = PhraseIndex(
            (cue, f"check:{topic_id}")
            for topic_id, topic in knowledge.topics.topics.items()
            for cue in topic.check_cues
        )
        self.classes = PhraseIndex(
            (name, drug.id) for drug in knowledge.drugs.values() for name in drug.classes
        )
        self.filler = frozenset(w for phrase in lists.filler for w in words(phrase))
        # Comparing with FAQs, "together" and its like add nothing: the FAQs are all about
        # drugs taken together, and the question has already been routed there.
        self.faq_ignore = frozenset(
            w for phrase in (*lists.faq_ignore, *lists.together) for w in words(phrase)
        )
        faq_words = {
            w
            for combination in knowledge.combinations.values()
            for faq in combination.faqs
            for text in (faq.question, *faq.phrasings)
            for w in words(text)
        }
        vocabulary = (
            self.topics.words()
            | self.terms.words()
            | self.cues.words()
            | self.checks.words()
            | self.classes.words()
            | self.filler
            | faq_words
        )
        self.ordinary = frozenset(vocabulary)
        self.speller = Speller(vocabulary, protected=self.drug_finder.ours)

    def analyse(self, question: str) -> Analysis:
        raw = words(question)[:MAX_WORDS]
        # Drug names first, on the words as typed: a drug name is never "corrected".
        mentions = self.drug_finder.find(raw, self.ordinary)
        in_mention = {i for m in mentions for i in range(m.start, m.end)}
        rest = [self.speller.correct(w) for i, w in enumerate(raw) if i not in in_mention]
        analysis = Analysis(tokens=raw, content=rest)
        for mention in mentions:
            if mention.drug and mention.drug not in analysis.drugs:
                analysis.drugs.append(mention.drug)
            elif mention.other:
                analysis.others.append(mention)
            elif mention.near:
                analysis.near.append(mention)
        covered: set[int] = set()
        for index, target in (
            (self.terms, analysis.terms),
            (self.topics, analysis.topics),
            (self.classes, analysis.classes),
        ):
            for match in index.find(rest):
                covered.update(range(match.start, match.end))
                if match.value not in target:
                    target.append(match.value)
        for index in (self.cues, self.checks):
            for match in index.find(rest):
                covered.update(range(match.start, match.end))
                analysis.cues.add(match.value)
        analysis.leftover = [
            w for i, w in enumerate(rest) if i not in covered and w not in self.filler
        ]
        analysis.unknown = [w for w in analysis.leftover if w not in self.ordinary and w.isalpha()]
        return analysis
