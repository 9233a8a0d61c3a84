"""Deciding what to answer: an :class:`~bot.engine.reading.Analysis` in, a
:class:`~bot.engine.decisions.Decision` out. Pure: no text is written here, nothing is
rendered, and the same analysis always gives the same decision.

The rules, in order (a wrong-drug answer is the worst outcome, so every uncertain path ends
in a clarify or a fallback):

1. a drug we do not know is named -> ``Fallback`` (never answer about another drug);
2. a word like one of our names but not one -> ``Clarify`` between the drugs it resembles;
3. no drug -> a reverse look-up ("which medicines cause X?"), an FAQ, or clarify/fallback;
4. several drugs, or "together" -> a reverse look-up, the combination's FAQ or page, or a
   fallback when no page covers them;
5. one drug -> a section, a check of one term, the class question, an FAQ, a fallback for a
   topic its page does not cover, else an overview.

Scored candidates and the margin rule. Where several units compete (today the FAQs), each
source yields :class:`Candidate` values (the decision it would make, the choice a clarify
offers for it, and a score 0-100), and :func:`margin_rule` alone picks: the best when it
leads the runner-up by :data:`MARGIN`, else a ``Clarify`` between the top
:data:`MAX_CHOICES`, else None (nothing good: the rules above go on to a fallback).

A new candidate source (a BM25 index over the knowledge's own words, say) plugs in without
touching rendering: build it once in :class:`Decider` from the knowledge, have it turn an
``Analysis`` into candidates such as
``Candidate(Sections(drug, (topic,)), TopicChoice(drug, topic), score)`` or
``Candidate(Check(drug, term, topic, found), TopicChoice(drug, topic), score)``, and pass
them to :func:`margin_rule` together with :func:`faq_candidates` at the point of the rules
where it applies. It never words a reply and never decides on its own; its scores must be
on the same 0-100 scale as the FAQs' (rapidfuzz similarity) for the margin to mean the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.engine.decisions import (
    Check,
    Choice,
    Clarify,
    Combination,
    CombinationChoice,
    Decision,
    DrugChoice,
    Fallback,
    FaqAnswer,
    FaqChoice,
    Overview,
    Reverse,
    Sections,
    TopicChoice,
)
from bot.engine.faqs import FaqHit, FaqIndex
from bot.engine.listing import ListedItems
from bot.engine.reading import Analysis
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.text import words

MARGIN = 8.0
"""The margin rule: answer the best candidate only when it leads the runner-up by this much."""
MAX_CHOICES = 5
CLARIFY_SCORE = 50.0
"""The score of a clarify between equally likely choices (topics, drugs, pages)."""


@dataclass(frozen=True)
class Candidate:
    decision: Decision
    choice: Choice
    score: float


def margin_rule(candidates: Sequence[Candidate]) -> Decision | None:
    """The best candidate when clearly ahead, a clarify between the best few, or None."""
    ranked = sorted(candidates, key=lambda c: -c.score)  # stable: ties keep their order
    if not ranked:
        return None
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if best.score - runner_up >= MARGIN:
        return best.decision
    return Clarify(tuple(c.choice for c in ranked[:MAX_CHOICES]), score=best.score)


def faq_candidates(hits: Sequence[FaqHit]) -> list[Candidate]:
    found = []
    for hit in hits:
        combination, faq = hit.entry.combination.id, hit.entry.faq.id
        found.append(
            Candidate(
                FaqAnswer(combination, faq, hit.score), FaqChoice(combination, faq), hit.score
            )
        )
    return found


class Decider:
    """The knowledge's topics and indexes, read once; :meth:`decide` is then pure."""

    def __init__(self, knowledge: KnowledgeBase, faqs: FaqIndex, listed: ListedItems) -> None:
        self.drugs = list(knowledge.drugs)
        self.has_section = {d.id: frozenset(d.sections) for d in knowledge.drugs.values()}
        self.faqs = faqs
        self.listed = listed
        declared = knowledge.topics.topics
        self.text_topics = frozenset(knowledge.topics.of_shape("text"))
        list_topics = knowledge.topics.of_shape("list")
        self.default_check = next(
            (t for t in list_topics if declared[t].default_check), next(iter(list_topics), None)
        )
        others = [t for t in list_topics if t != self.default_check]
        default = [self.default_check] if self.default_check else []
        # A cue for the default topic wins ("does it cause X?" is the safety-relevant reading);
        # a topic named or a listing elsewhere overrides the default.
        self.cue_order = default + others
        self.named_order = others + default
        self.class_topic = next((t for t, topic in declared.items() if topic.class_questions), None)
        self.canonical = {t: words(topic.phrasings[0]) for t, topic in declared.items()}
        self.combos_by_drug: dict[str, list[str]] = {}
        for combination in knowledge.combinations.values():
            for drug in combination.drugs:
                self.combos_by_drug.setdefault(drug, []).append(combination.id)

    def decide(self, a: Analysis) -> Decision:
        if a.others:
            names = tuple(dict.fromkeys(m.text for m in a.others))  # each name once
            if a.drugs:
                return Fallback("drug_with_unknown", drugs=tuple(a.drugs), names=names)
            return Fallback("unknown_drug", names=names)
        if a.near and not a.drugs:
            return self._near_miss(a)
        if not a.drugs:
            return self._no_drug(a)
        if len(a.drugs) > 1 or a.has("together"):
            return self._together(a)
        return self._one_drug(a, a.drugs[0])

    def _one_drug(self, a: Analysis, drug: str) -> Decision:
        if self.text_topics.intersection(a.topics):  # "how does it work for pain?" asks how
            return self.sections(drug, a.topics)
        topic = self._check_topic(a, [drug])
        if a.terms and topic:
            found = tuple(self.listed.of_drug(a.terms[0], topic, drug))
            return Check(drug, a.terms[0], topic, found)
        if a.topics:
            return self.sections(drug, a.topics)
        if drug in a.classes and self.class_topic:
            return self.sections(drug, [self.class_topic])
        faq = margin_rule(faq_candidates(self.faqs.search(a.content, [drug])))
        if faq:
            return faq
        if a.leftover:
            return Fallback("unknown_topic", drugs=(drug,))
        return Overview(drug)

    def sections(self, drug: str, topics: Sequence[str]) -> Decision:
        """The sections the drug has; an honest fallback when it has none of them."""
        present = tuple(t for t in topics if t in self.has_section[drug])
        if not present:
            return Fallback("unknown_topic", drugs=(drug,))
        return Sections(drug, present)

    def _together(self, a: Analysis) -> Decision:
        drugs = tuple(a.drugs)
        topic = self._check_topic(a, drugs)
        if a.terms and topic and len(drugs) > 1 and not a.has("together"):
            # "what causes constipation, gabapentin or amitriptyline?": each one named
            return self._reverse(a.terms[0], topic, drugs)
        combos = self._combinations_of(drugs)
        if not combos:
            if len(drugs) == 1:
                return self._one_drug(a, drugs[0])
            if a.has("together") or not a.topics:  # never imply the pair is safe
                return Fallback("unknown_pair", drugs=drugs)
            choices = [TopicChoice(d, t) for d in drugs for t in a.topics]
            return Clarify(tuple(choices[:MAX_CHOICES]), score=CLARIFY_SCORE)
        hits = self.faqs.search(a.content, drugs) or self._faqs_on_topic(a, topic)
        faq = margin_rule(faq_candidates(hits))
        if faq:
            return faq
        if len(combos) > 1:
            pages = tuple(CombinationChoice(c) for c in combos[:MAX_CHOICES])
            return Clarify(pages, score=CLARIFY_SCORE)
        return Combination(combos[0])

    def _faqs_on_topic(self, a: Analysis, check_topic: str | None) -> list[FaqHit]:
        """FAQs about the question's topic ("risks of taking both" -> the side-effects FAQ),
        found with the topic's own name, never with its display label."""
        topics = list(a.topics)
        if a.terms and check_topic:
            topics.insert(0, check_topic)
        if not topics:
            return []
        return self.faqs.search(self.canonical[topics[0]], a.drugs)

    def _no_drug(self, a: Analysis) -> Decision:
        if a.terms and a.has("which"):
            topic = self._check_topic(a, self.drugs)
            if topic:
                return self._reverse(a.terms[0], topic, tuple(self.drugs))
        if a.unknown:
            # "why take vicodin?" resembles an FAQ, but is about something we do not know.
            if len(a.unknown) == 1:
                return Fallback("unknown_drug", names=tuple(a.unknown))
            return Fallback("off_topic")
        topic = a.topics[0] if a.topics else None
        wants_section = topic and not a.has("together")
        faq = None if wants_section else margin_rule(faq_candidates(self.faqs.search(a.content)))
        if faq:
            return faq
        if topic and len(self.drugs) <= MAX_CHOICES:
            choices = tuple(TopicChoice(d, topic) for d in self.drugs)
            return Clarify(choices, score=CLARIFY_SCORE)
        if topic:
            return Fallback("no_drug_named", topic=topic)
        return Fallback("off_topic")

    def _near_miss(self, a: Analysis) -> Decision:
        """A word like one of our drugs but not its name: ask, never assume."""
        topic = a.topics[0] if a.topics else None
        choices: list[Choice] = []
        for mention in a.near:
            drug = mention.near or ""
            choice = TopicChoice(drug, topic) if topic else DrugChoice(drug)
            if choice not in choices:
                choices.append(choice)
        first = a.near[0]
        return Clarify(tuple(choices[:MAX_CHOICES]), score=first.score, unknown_word=first.text)

    def _reverse(self, term: str, topic: str, drugs: tuple[str, ...]) -> Reverse:
        found = tuple(self.listed.listing(term, topic, drugs))
        return Reverse(term, topic, drugs, found, everyone=self.listed.covers(drugs))

    def _check_topic(self, a: Analysis, drugs: Sequence[str]) -> str | None:
        """Which list a term is checked against: a cue in the question ("cause", "for"), a
        topic it names, else the first where the term is listed, else the default."""
        for topic in self.cue_order:
            if a.has(f"check:{topic}"):
                return topic
        for topic in self.named_order:
            if topic in a.topics:
                return topic
        for topic in self.named_order:
            listed = a.terms and topic != self.default_check
            if listed and self.listed.listing(a.terms[0], topic, drugs):
                return topic
        return self.default_check

    def _combinations_of(self, drugs: Sequence[str]) -> list[str]:
        sets = [set(self.combos_by_drug.get(d, ())) for d in drugs]
        return sorted(set.intersection(*sets)) if sets else []
