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
    Both,
    Check,
    Choice,
    Clarify,
    Combination,
    CombinationChoice,
    Decision,
    DrugChoice,
    Each,
    Fallback,
    FaqAnswer,
    FaqChoice,
    Overview,
    Sections,
    SmallTalk,
    TopicChoice,
    Uncovered,
)
from bot.engine.faqs import FaqHit, FaqIndex
from bot.engine.reading import Analysis
from bot.engine.understanding import MAX_CONCEPT, ONE_DRUG_FAQ, SHORT_QUESTION, OpenReader
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

    def __init__(self, knowledge: KnowledgeBase, faqs: FaqIndex) -> None:
        self.drugs = list(knowledge.drugs)
        self.names = {drug.id: drug.name for drug in knowledge.drugs.values()}
        self.has_section = {d.id: frozenset(d.sections) for d in knowledge.drugs.values()}
        self.faqs = faqs
        self.reader = OpenReader(knowledge, faqs)
        declared = knowledge.topics.topics
        self.topics = frozenset(declared)
        self.text_topics = frozenset(knowledge.topics.of_shape("text"))
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
        if a.small_talk and not (a.drugs or a.topics or a.terms or a.uncovered or a.leftover):
            return SmallTalk(a.small_talk[0])
        uncovered = self.reader.uncovered(a, a.drugs) if len(a.drugs) != 1 else None
        if uncovered:
            return Uncovered(uncovered, tuple(a.drugs))
        if not a.drugs:
            return self._no_drug(a)
        if len(a.drugs) > 1 or a.together:
            return self._together(a)
        return self._one_drug(a, a.drugs[0])

    def sections(self, drug: str, topics: Sequence[str]) -> Decision:
        """The sections the drug has; an honest fallback when it has none of them."""
        if "overview" in topics:
            return Overview(drug)
        present = tuple(t for t in topics if t in self.has_section[drug])
        if not present:
            return Fallback("unknown_topic", drugs=(drug,))
        return Sections(drug, present)

    def _one_drug(self, a: Analysis, drug: str) -> Decision:
        r = self.reader
        uncovered = r.uncovered(a, [drug])
        if uncovered:
            return Uncovered(uncovered, (drug,))
        topics = [t for t in a.topics if t in self.topics]
        text_topics = [t for t in topics if t in self.text_topics]
        if text_topics:  # "how does it work for pain?" asks how, not whether
            return self.sections(drug, text_topics)
        # A section topic or lay term is read by the lexicon; an FAQ must then fit the rest.
        asked = a.leftover if (topics or a.terms) else a.content
        faq = r.faq([drug], asked, ONE_DRUG_FAQ)
        check = r.check(a, drug)
        named = check is not None and (bool(check.found) or bool(a.terms))
        strong = a.has(f"check:{r.default}")
        if check and named and strong:
            return check  # "does it make you lose weight?" asks that, whatever an FAQ says
        if faq and check and named:
            # "can I stop it cold turkey? sick of the dry mouth": the FAQ, then the check
            return Both(faq, check)
        grouped = any(s.startswith("=") for s in r.index.normaliser.stems(asked))
        if faq and check and strong and not grouped:
            faq = None  # "does it cause hair loss?": an FAQ sharing "loss" is not the answer
        if faq and not topics:
            return faq
        if check and not named and not topics:
            # Words the knowledge uses elsewhere ("does it affect serotonin"): that unit.
            found = r.best_unit(a, [drug], a.leftover)
            if found is not None and found.unit.kind == "section":
                return r.answer_unit(found)
        if check and named and not (a.terms or any(a.has(f"check:{t}") for t in topics)):
            # Items named in passing ("on the muscles or on the brain?"): a section that
            # holds more of the question's words is what is asked.
            found = r.best_unit(a, [drug])
            if found is not None and found.unit.topic in self.text_topics:
                return r.answer_unit(found)
        if check and (named or not topics):
            return check
        if topics:
            return self.sections(drug, topics)
        if faq:
            return faq
        if drug in a.classes and self.class_topic:
            return self.sections(drug, [self.class_topic])
        found = r.best_unit(a, [drug])
        if found is not None:
            return r.answer_unit(found)
        if check:
            return check
        if a.has("overview") or not r.index.telling(a.content):
            return Overview(drug)
        concept = r.items.concept(a.leftover)
        if concept and len(concept) <= MAX_CONCEPT and len(a.content) <= SHORT_QUESTION:
            # "gabapentin memory loss?": is it listed? Nothing named it, so: not listed.
            words_asked = " ".join(concept).capitalize()
            return Check(drug, "", r.check_topic(a, {}), (), concept=words_asked)
        return Overview(drug)

    def _together(self, a: Analysis) -> Decision:
        drugs = tuple(a.drugs)
        r = self.reader
        if len(drugs) > 1 and r.asks_which(a):
            # "what causes constipation, gabapentin or amitriptyline?": each one named; but an
            # FAQ that fits ("why both?", "can I drop one of them?") comes first.
            faq = r.faq(drugs, a.content)
            grouped = any(s.startswith("=") for s in r.index.normaliser.stems(a.content))
            fits = a.together or not a.terms
            if faq is not None and fits and (grouped or not a.has("which")):
                return faq
            which = r.reverse(a, drugs) or faq
            if which is not None:
                return which
        topics = [t for t in a.topics if t in self.topics]
        if len(drugs) > 1 and a.has("each") and not topics:
            topics = ["overview"]
        if topics and len(drugs) > 1 and (a.has("each") or not a.together):
            # "what is each one for?", "side effects of elavil vs neurontin": drug by drug
            return Each(tuple(self.sections(drug, topics) for drug in drugs))
        combos = self._combinations_of(drugs)
        if not combos:
            if len(drugs) == 1:
                return self._one_drug(a, drugs[0])
            if a.together or not topics:  # never imply the pair is safe
                return Fallback("unknown_pair", drugs=drugs)
            choices = [TopicChoice(drug, t) for drug in drugs for t in topics]
            return Clarify(tuple(choices[:MAX_CHOICES]), score=CLARIFY_SCORE)
        faq = r.faq(drugs, a.content)
        if faq is not None:
            return faq
        hits = self.faqs.search(a.content, drugs) or self._faqs_on_topic(a)
        by_phrasing = margin_rule(faq_candidates(hits))
        if by_phrasing:
            return by_phrasing
        found = r.best_unit(a, drugs)
        if found is not None and found.unit.kind in ("faq", "combination"):
            return r.answer_unit(found)
        if topics:
            return Each(tuple(self.sections(drug, topics) for drug in drugs))
        if len(combos) > 1:
            pages = tuple(CombinationChoice(c) for c in combos[:MAX_CHOICES])
            return Clarify(pages, score=CLARIFY_SCORE)
        return Combination(combos[0])

    def _faqs_on_topic(self, a: Analysis) -> list[FaqHit]:
        """FAQs about the question's topic ("risks of taking both" -> the side-effects FAQ),
        found with the topic's own name, never with its display label."""
        topics = [t for t in a.topics if t in self.topics]
        if a.terms:
            topics.insert(0, self.reader.default)
        if not topics or not topics[0]:
            return []
        return self.faqs.search(self.canonical[topics[0]], a.drugs)

    def _no_drug(self, a: Analysis) -> Decision:
        if a.unknown:
            # "why take vicodin?" resembles an FAQ, but is about something we do not know.
            if len(a.unknown) == 1:
                return Fallback("unknown_drug", names=tuple(a.unknown))
            return Fallback("off_topic")
        if a.has("which") or (a.terms and a.has(f"check:{self.reader.default}")):
            found = self.reader.reverse(a, self.drugs, every=True)
            if found is not None:
                return found
        topic = next((t for t in a.topics if t in self.topics), None)
        wants_section = topic and not a.together
        faq = None if wants_section else margin_rule(faq_candidates(self.faqs.search(a.content)))
        if faq:
            return faq
        if topic and len(self.drugs) <= MAX_CHOICES:
            choices = tuple(TopicChoice(drug, topic) for drug in self.drugs)
            return Clarify(choices, score=CLARIFY_SCORE)
        if topic:
            return Fallback("no_drug_named", topic=topic)
        return Fallback("off_topic")

    def _near_miss(self, a: Analysis) -> Decision:
        """A word like one of our drugs but not its name: ask, never assume. Picking a choice
        asks the question again, with the name the bot knows."""
        topic = next((t for t in a.topics if t in self.topics), None)
        choices: list[Choice] = []
        for mention in a.near:
            drug = mention.near or ""
            name = self.names[drug]
            asked = " ".join([*a.tokens[: mention.start], name, *a.tokens[mention.end :]])
            choice = TopicChoice(drug, topic) if topic else DrugChoice(drug, asked)
            if choice not in choices:
                choices.append(choice)
        first = a.near[0]
        return Clarify(tuple(choices[:MAX_CHOICES]), score=first.score, unknown_word=first.text)

    def _combinations_of(self, drugs: Sequence[str]) -> list[str]:
        sets = [set(self.combos_by_drug.get(x, ())) for x in drugs]
        return sorted(set.intersection(*sets)) if sets else []
