"""Deciding on a question the hand lexicon does not settle, by the knowledge's own words.

Every answerable unit about the question's drugs is scored (:mod:`bot.engine.knowledge_index`);
listed items are matched by their own stems and the lexicon's lay terms
(:mod:`bot.engine.items`); topics the knowledge does not cover are recognised as such. A
leftover word is no reason to give up: a question about one drug that names something not
listed gets "it is not listed", with the list; one that asks nothing in particular gets the
overview. Decisions only: :mod:`bot.engine.render` words them.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import decisions as d
from bot.engine.faqs import FaqIndex
from bot.engine.items import ItemMatcher
from bot.engine.knowledge_index import Candidate, KnowledgeIndex
from bot.engine.listing import ListedItems
from bot.engine.reading import Analysis
from bot.engine.several import SeveralDrugs
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.text import words

CONFIDENT = 55.0
"""A unit must hold at least this share (0-100) of a question's telling words..."""
AHEAD = 10.0
"""...and lead the next unit of another kind by this much, to be answered."""
MAX_CONCEPT = 2
SHORT_QUESTION = 6
"""A question naming a drug and at most two other telling words, with no cue, in a few words
("gabapentin memory loss?") asks whether they are listed."""
FAQ_CONFIDENT = 45.0
ONE_DRUG_FAQ = 60.0
FAQ_MARGIN = 8.0
STRONGER = 1.5
"""Of FAQs with close shares, one whose matched words weigh this much more (its own question
holds them) is the answer."""
MAX_CHOICES = 5
GUESS_SCORE = 50.0
"""A check of words no item and no lay term names: "not listed" is then a guess about words
the knowledge does not know ("spacey"), and the question is one to learn from."""


class OpenReader(SeveralDrugs):
    def __init__(self, knowledge: KnowledgeBase, faqs: FaqIndex) -> None:
        self.kb = knowledge
        self.faqs = faqs
        self.index = KnowledgeIndex(knowledge)
        self.listed = ListedItems(knowledge)
        self.every_drug = list(knowledge.drugs)
        self.order = {drug: n for n, drug in enumerate(knowledge.drugs)}
        self.items = ItemMatcher(knowledge, self.index.normaliser)
        declared = knowledge.topics.topics
        self.topic_words = {
            t: frozenset(w for p in topic.phrasings for w in words(p))
            for t, topic in declared.items()
        }
        self.both = frozenset(w for p in knowledge.words.both for w in words(p))
        self.wh = frozenset(w for p in knowledge.words.wh for w in words(p))
        self.list_topics = knowledge.topics.of_shape("list")
        self.text_topics = knowledge.topics.of_shape("text")
        self.default = next(
            (t for t in self.list_topics if declared[t].default_check),
            next(iter(self.list_topics), ""),
        )

    # -- the parts of a decision ---------------------------------------------------------------

    def faq(
        self, drugs: Sequence[str], tokens: Sequence[str], confident: float = FAQ_CONFIDENT
    ) -> d.Decision | None:
        """An FAQ that clearly fits: by its own words, or by its phrasings (fuzzy)."""
        everything = self.index.rank(tokens, drugs)
        ranked = [c for c in everything if c.unit.kind == "faq"]
        # A unit of another kind clearly ahead ("a common combo for chronic pain?": the
        # combination's text) is what is asked, not the best FAQ.
        ahead = bool(ranked) and everything[0].score - ranked[0].score >= AHEAD
        if len(drugs) == 1 and ranked:
            # One drug: its own sections are the first door; a combination's FAQ must be
            # clearly better ("gaba. weight?" is not the combined side effects' FAQ).
            own = [c for c in everything if c.unit.kind != "faq"]
            ahead = ahead or bool(own and ranked[0].score - own[0].score < FAQ_MARGIN)
        if ranked and ranked[0].score >= confident and not ahead:
            close = [c for c in ranked if ranked[0].score - c.score < FAQ_MARGIN]
            strongest = max(close, key=lambda c: c.strength)
            if all(strongest.strength >= STRONGER * c.strength for c in close if c != strongest):
                # Close shares, but the words are in one FAQ's own question ("is that safe
                # for him?": "Is it safe to take these drugs together?"): that one.
                return self.answer_unit(strongest)
            if len({c.unit.combination for c in close}) > 1:
                # The same question on several pages ("can I stop gabapentin suddenly?"
                # with gabapentin in two combinations): ask which.
                choices = tuple(
                    d.FaqChoice(str(c.unit.combination), str(c.unit.faq))
                    for c in close[:MAX_CHOICES]
                )
                return d.Clarify(choices, score=ranked[0].score)
        hits = self.faqs.search(tokens, drugs)
        if hits:
            runner_up = hits[1].score if len(hits) > 1 else 0.0
            if hits[0].score - runner_up >= FAQ_MARGIN:
                best = hits[0]
                return d.FaqAnswer(best.entry.combination.id, best.entry.faq.id, best.score)
        return None

    def best_unit(
        self,
        a: Analysis,
        drugs: Sequence[str],
        tokens: Sequence[str] | None = None,
        confident: float = CONFIDENT,
    ) -> Candidate | None:
        ranked = self.index.rank(a.content if tokens is None else tokens, drugs)
        if not ranked or ranked[0].score < confident:
            return None
        rivals = [c for c in ranked[1:] if c.unit.kind != ranked[0].unit.kind]
        if rivals and ranked[0].score - rivals[0].score < AHEAD:
            return None
        if ranked[0].unit.kind == "section" and not ranked[0].own_words:
            return None  # "does it affect your sex drive": a verb alone names no section
        return ranked[0]

    def answer_unit(self, found: Candidate) -> d.Decision:
        unit = found.unit
        if unit.kind == "faq":
            return d.FaqAnswer(str(unit.combination), str(unit.faq), found.score)
        if unit.kind == "combination":
            return d.Combination(str(unit.combination), found.score)
        if unit.kind == "overview":
            return d.Overview(unit.drugs[0], found.score)
        return d.Sections(unit.drugs[0], (str(unit.topic),), found.score)

    def named(self, a: Analysis, drug: str) -> dict[str, list[str]]:
        return {t: self.items.named(a.content, a.terms, drug, t) for t in self.list_topics}

    def check(self, a: Analysis, drug: str) -> d.Check | None:
        """A yes/no check of one item: asked with a cue ("does it cause"), a lay term, or
        words that name a listed item."""
        concept_words = self.items.concept(a.leftover)
        named = self.named(a, drug)
        cue = any(a.has(f"check:{t}") for t in self.list_topics)
        if not (a.terms or cue or any(named.values())) or not (a.terms or concept_words):
            return None
        topic = self.check_topic(a, named)
        if not topic:
            return None
        term = a.terms[0] if a.terms else ""
        concept = "" if term else self.items.phrase(a.leftover)
        found = tuple(named[topic])
        score = 100.0 if (term or found) else GUESS_SCORE
        return d.Check(drug, term, topic, found, score, concept)

    def check_topic(self, a: Analysis, named: dict[str, list[str]]) -> str:
        """A topic named, then a cue, then where the question's words are listed, then the
        default ("does it ... Y?" asks about a side effect)."""
        others = [t for t in self.list_topics if t != self.default]
        for topic in others:
            if topic in a.topics and self.default not in a.topics:
                return topic
        if a.has(f"check:{self.default}") or self.default in a.topics:
            # "why would they give me that for back pain": two cues; the one whose list
            # names what is asked wins
            rival = [
                t
                for t in others
                if a.has(f"check:{t}") and named.get(t) and not named.get(self.default)
            ]
            return rival[0] if rival and self.default not in a.topics else self.default
        for topic in others:
            if a.has(f"check:{topic}"):
                return topic
        for topic in others:
            if named.get(topic) and not named.get(self.default):
                return topic
        if a.yes_no and a.terms and not named.get(self.default):
            # "is gabapentin an antidepressant?": where the knowledge lists the term at all
            for topic in others:
                home = self.listed.listing(a.terms[0], topic, self.every_drug)
                if home and not self.listed.listing(a.terms[0], self.default, self.every_drug):
                    return topic
        return self.default

    def uncovered(self, a: Analysis, drugs: Sequence[str]) -> str | None:
        """A topic the knowledge does not cover, unless the drugs' own texts speak of it
        ("Pain after surgery" is listed: "surgery" is covered there)."""
        if not a.uncovered:
            return None
        if a.terms and a.has(f"check:{self.default}"):
            return None  # "is swelling a side effect?" after a word of context ("as a kid")
        said = {w for t in a.topics for w in self.topic_words.get(t, ())}
        if said.intersection(a.uncovered_words):
            return None  # a topic the knowledge declares says it: that section, or not covered
        asked_of = drugs or list(self.kb.drugs)
        topic = self.kb.conversation.uncovered.get(a.uncovered[0])
        if topic and topic.written:
            # how a page says it, not the question's words ("how long": any page has "long")
            return None if self.written_of(a, asked_of) else a.uncovered[0]
        if any(self.index.covers(said, asked_of) for said in a.uncovered_said):
            return None  # a page that says one of the phrases ("addictive") speaks of it
        return a.uncovered[0]

    def written_of(self, a: Analysis, drugs: Sequence[str]) -> list[str]:
        """The words the pages of ``drugs`` use for the uncovered topic asked ("how long until
        sertraline works?": "it can take a few weeks"), when they speak of it."""
        topic = self.kb.conversation.uncovered.get(a.uncovered[0]) if a.uncovered else None
        written = [words(w) for w in topic.written] if topic else []
        return next((w for w in written if self.index.covers(w, drugs)), [])
