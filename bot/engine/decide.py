"""Deciding what to answer: an :class:`~bot.engine.reading.Analysis` in, a
:class:`~bot.engine.decisions.Decision` out. Pure: no text is written here, nothing is
rendered, and the same analysis always gives the same decision.

The rules, in order (a wrong-drug answer is the worst outcome, so every uncertain path ends
in a clarify or a fallback):

1. a drug we do not know is named -> ``Fallback``; a near miss of ours -> ``Clarify``;
2. small talk alone -> ``SmallTalk``; a topic the knowledge does not cover (and its pages
   never speak of) -> ``Uncovered``;
3. no drug -> a reverse look-up, an FAQ, or clarify/fallback;
4. several drugs, or "together" -> an FAQ that fits or a reverse look-up, each drug in turn,
   the combination's FAQ or page, or a fallback when no page covers them;
5. one drug -> a section, a check (by the items' own words or a lay term; the FAQ first for
   a second, safety-relevant part), an FAQ, the best unit of the knowledge index, else an
   overview.

Scored candidates: the knowledge index (:mod:`bot.engine.understanding`) scores every unit
0-100 by the share of the question's telling words it holds; a unit is answered when it is
confident and clearly ahead of the next (the margin rule, as :func:`margin_rule` does for
the FAQs' phrasings), and several close FAQs of different pages are a ``Clarify``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.engine.decisions import (
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
from bot.engine.not_ours import asked_of_no_drug_of_ours, named_not_ours
from bot.engine.one_drug import OneDrug
from bot.engine.reading import Analysis
from bot.engine.understanding import OpenReader
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
        self.pointer_words = frozenset(w for p in knowledge.words.one_pointer for w in words(p))

        kinds: dict[frozenset[str], frozenset[str]] = {}  # most drugs have the same topics
        self.has_section = {
            d.id: kinds.setdefault(frozenset(d.sections), frozenset(d.sections))
            for d in knowledge.drugs.values()
        }
        self.faqs = faqs
        self.reader = OpenReader(knowledge, faqs)
        self.safety_first = frozenset(
            s
            for p in knowledge.words.safety_first
            for s in self.reader.index.normaliser.text_stems(p)
        )
        declared = knowledge.topics.topics
        self.topics = frozenset(declared)
        self.text_topics = frozenset(knowledge.topics.of_shape("text"))
        self.class_topic = next((t for t, topic in declared.items() if topic.class_questions), None)
        self.combined_use = frozenset(t for t, topic in declared.items() if topic.combined_use)
        self.canonical = {t: words(topic.phrasings[0]) for t, topic in declared.items()}
        self.one_drug = OneDrug(self.reader, self.topics, self.text_topics, self.class_topic, self)
        pairs = [c.drugs for c in knowledge.combinations.values()]
        self.pair = tuple(pairs[0]) if len(pairs) == 1 else None
        """The drugs of the only combination, when there is one: "both of them"."""
        self.combos_by_drug: dict[str, list[str]] = {}
        for combination in knowledge.combinations.values():
            for drug in combination.drugs:
                self.combos_by_drug.setdefault(drug, []).append(combination.id)

    def decide(self, a: Analysis) -> Decision:
        not_ours = named_not_ours(a)
        if not_ours is not None:
            return not_ours
        if a.near and not a.drugs:
            return self._near_miss(a)
        if a.small_talk and not (a.drugs or a.topics or a.terms or a.uncovered or a.leftover):
            return SmallTalk(a.small_talk[0])
        uncovered = self.reader.uncovered(a, a.drugs)
        if uncovered:
            return self._safety_first(a) or Uncovered(uncovered, tuple(a.drugs))
        if not a.drugs:
            return self._no_drug(a)
        # One drug with a together word and a section asked ("what is it used for, alongside
        # my physio?") is about that section, not the combination.
        if len(a.drugs) > 1 or (a.together and not self.topics.intersection(a.topics)):
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
        return self.one_drug.decide(a, drug)

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
        stems = r.index.normaliser.stems
        said = topics and set(stems(self.canonical[topics[0]])) <= set(stems(a.content))
        if (
            said
            and a.together
            and not a.has("each")
            and len(drugs) > 1
            and self._combinations_of(drugs)
        ):
            # "side effects of both together?", "side effect is more when take X with Y?":
            # the FAQ on the topic it names, not each drug's list
            on_topic = margin_rule(faq_candidates(self._faqs_on_topic(a)))
            if on_topic:
                return on_topic
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
        by_phrasing = margin_rule(faq_candidates(self.faqs.search(a.content, drugs)))
        if by_phrasing:
            return by_phrasing
        overview = a.has("overview") and not (topics or a.terms)
        pair = a.together and len(drugs) > 1 and len(combos) == 1
        if pair and (overview or self.combined_use.intersection(topics)):
            return Combination(combos[0])  # "what is the combo used for?", "tell me about it"
        found = r.best_unit(a, drugs)
        if found is not None and found.unit.kind in ("faq", "combination"):
            return r.answer_unit(found)
        by_topic = margin_rule(faq_candidates(self._faqs_on_topic(a)))
        if by_topic:
            return by_topic
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
            # the topic the term is listed under ("pain" is a use, "dizzy" a side effect)
            where = [
                t
                for t in self.reader.list_topics
                if any(self.reader.listed.of_drug(a.terms[0], t, drug) for drug in a.drugs)
            ]
            topics.insert(0, where[0] if where else self.reader.default)
        if not topics or not topics[0]:
            return []
        return self.faqs.search(self.canonical[topics[0]], a.drugs)

    def _no_drug(self, a: Analysis) -> Decision:
        not_ours = asked_of_no_drug_of_ours(a, self.topics)
        if not_ours is not None:
            return not_ours
        pair = self.pair
        both = (a.has("both") or a.has("each")) and not a.terms
        if pair and (both or (a.together and a.terms and not a.has("which"))):
            # "side effects of both of them?", "taking both and im so constipated" with
            # nothing said before: the one pair there is
            return self._together(replace(a, drugs=list(pair)))
        asks_check = a.has(f"check:{self.reader.default}") or a.yes_no
        if a.has("pointer") and asks_check and a.terms and not (a.has("which") or a.foreign):
            # "does it make you sleepy?" with nothing said before: which one is "it"? (Not
            # when a name no list knows may be what it points at: "on co-codamol ... with it")
            choices = self._asked_of_each(a)
            if choices:
                return Clarify(choices, score=CLARIFY_SCORE)
        if a.has("which") or (a.terms and asks_check):
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

    def _safety_first(self, a: Analysis) -> Decision | None:
        """The FAQ on stopping, when the message asks it beside an uncovered topic."""
        stems = self.reader.index.normaliser.stems
        if not self.safety_first.intersection(stems(a.content)):
            return None
        asked = self.reader.index.normaliser.grouped(a.content)
        return self.reader.faq(a.drugs or self.drugs, asked) if asked else None

    def _asked_of_each(self, a: Analysis) -> tuple[Choice, ...]:
        """The question asked again of each drug, "it" put in its place (a few drugs only)."""
        if len(self.drugs) > MAX_CHOICES:
            return ()
        tokens = a.tokens
        at = next(
            (
                k
                for k, w in enumerate(tokens)
                # not the "it" of "is it normal to ...", which points at nothing
                if w in self.pointer_words
                and tokens[k + 2 : k + 3] not in (["to"], ["that"], ["if"])
            ),
            None,
        )
        if at is None:
            return ()
        return tuple(
            DrugChoice(drug, " ".join([*tokens[:at], self.names[drug], *tokens[at + 1 :]]))
            for drug in self.drugs
        )

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
