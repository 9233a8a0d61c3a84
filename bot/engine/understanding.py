"""Deciding on a question the hand lexicon does not settle, by the knowledge's own words.

Every answerable unit about the question's drugs is scored (:mod:`bot.engine.knowledge_index`);
listed items are matched by their own stems and the lexicon's lay terms
(:mod:`bot.engine.items`); topics the knowledge does not cover are recognised as such. A
leftover word is no reason to give up: a question about one drug that names something not
listed gets "it is not listed", with the list; one that asks nothing in particular gets the
overview.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.faqs import FaqIndex
from bot.engine.items import LISTED_TOPICS, ItemMatcher
from bot.engine.knowledge_index import Candidate, KnowledgeIndex
from bot.engine.open_replies import OpenReplies
from bot.engine.reading import Analysis
from bot.engine.render import SECTION_TOPICS, Composer
from bot.engine.replies import Reply
from bot.engine.triage import SafetyCheck
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


class OpenReader:
    def __init__(self, knowledge: KnowledgeBase, compose: Composer, faqs: FaqIndex) -> None:
        self.kb = knowledge
        self.compose = compose
        self.faqs = faqs
        self.index = KnowledgeIndex(knowledge)
        self.items = ItemMatcher(knowledge, self.index.normaliser)
        self.replies = OpenReplies(knowledge, compose)
        self.amounts = frozenset(w for p in knowledge.words.amounts for w in words(p))

    def asks_dose(self, a: Analysis, safety: SafetyCheck) -> bool:
        """Still a dosing question with the amounts mentioned as context left out ("on 300mg,
        what side effects?") and spelling mended ("how dose it work")?"""
        kept = []
        tokens = a.spelled
        for i, word in enumerate(tokens):
            unit = word.lstrip("0123456789.")
            amount = word in self.amounts or (unit != word and (unit in self.amounts or not unit))
            followed = i + 1 < len(tokens) and tokens[i + 1] in self.amounts
            if amount and (unit or followed):
                continue
            kept.append(word)
        return safety.concern(" ".join(kept)) == "dosing"

    # -- the parts of a decision ---------------------------------------------------------------

    def faq(
        self,
        a: Analysis,
        drugs: Sequence[str],
        tokens: Sequence[str],
        confident: float = FAQ_CONFIDENT,
    ) -> Reply | None:
        """An FAQ that clearly fits: by its own words, or by its phrasings (fuzzy)."""
        ranked = [c for c in self.index.rank(tokens, drugs) if c.unit.kind == "faq"]
        if ranked and ranked[0].score >= confident:
            close = [c for c in ranked if ranked[0].score - c.score < FAQ_MARGIN]
            if len(close) == 1:
                return self.answer_unit(ranked[0])
            if len({c.unit.combination for c in close}) > 1:
                # The same question on several pages ("can I stop gabapentin suddenly?"
                # with gabapentin in two combinations): ask which.
                return self.replies.which_faq(
                    [(str(c.unit.combination), str(c.unit.faq)) for c in close], ranked[0].score
                )
        hits = self.faqs.search(tokens, drugs)
        if hits:
            runner_up = hits[1].score if len(hits) > 1 else 0.0
            if hits[0].score - runner_up >= FAQ_MARGIN:
                best = hits[0]
                return self.compose.faq(best.entry.combination, best.entry.faq.id, best.score)
        return None

    def best_unit(
        self, a: Analysis, drugs: Sequence[str], tokens: Sequence[str] | None = None
    ) -> Candidate | None:
        ranked = self.index.rank(a.content if tokens is None else tokens, drugs)
        if not ranked or ranked[0].score < CONFIDENT:
            return None
        rivals = [c for c in ranked[1:] if c.unit.kind != ranked[0].unit.kind]
        if rivals and ranked[0].score - rivals[0].score < AHEAD:
            return None
        if ranked[0].unit.kind == "section" and not ranked[0].own_words:
            return None  # "does it affect your sex drive": a verb alone names no section
        return ranked[0]

    def answer_unit(self, found: Candidate) -> Reply:
        unit = found.unit
        if unit.kind == "faq":
            combination = self.kb.combinations[str(unit.combination)]
            return self.compose.faq(combination, str(unit.faq), found.score)
        if unit.kind == "combination":
            return self.compose.combination(self.kb.combinations[str(unit.combination)])
        drug = self.kb.drugs[unit.drugs[0]]
        if unit.kind == "overview":
            return self.compose.overview(drug, found.score)
        return self.compose.sections(drug, [str(unit.topic)], found.score)

    def check(self, a: Analysis, drug_id: str) -> Reply | None:
        """A yes/no check of one item: asked with a cue ("does it cause"), a lay term, or
        words that name a listed item."""
        concept_words = self.items.concept(a.leftover)
        named = {t: self.items.named(a.content, a.terms, drug_id, t) for t in LISTED_TOPICS}
        cue = a.has("check:side_effects") or a.has("check:usage")
        if not (a.terms or cue or any(named.values())):
            return None
        if not (a.terms or concept_words):
            return None
        topic = self.check_topic(a, named)
        term = a.terms[0] if a.terms else None
        label = next((t.label for t in self.kb.terms.terms if t.id == term), None)
        concept = label or " ".join(concept_words).capitalize()
        drug = self.kb.drugs[drug_id]
        return self.replies.check(drug, topic, named[topic], concept, term)

    @staticmethod
    def check_topic(a: Analysis, named: dict[str, list[str]]) -> str:
        if "usage" in a.topics and "side_effects" not in a.topics:
            return "usage"
        if a.has("check:side_effects") or "side_effects" in a.topics:
            return "side_effects"
        if a.has("check:usage"):
            return "usage"
        if named["usage"] and not named["side_effects"]:
            return "usage"
        return "side_effects"

    # -- several drugs -----------------------------------------------------------------------------

    def asks_which(self, a: Analysis) -> bool:
        """Does a question naming several drugs ask which of them has a trait?"""
        if a.has("which") or (a.terms and not a.together):
            return True
        # "for" alone is too weak a cue here ("X and Y for my back"): a use is asked with a
        # use phrase ("treats", "used for").
        cue = a.has("check:side_effects") or (a.has("check:usage") and "usage" in a.topics)
        if not cue:
            return False
        named = any(
            self.items.named(a.content, a.terms, d, t) for d in a.drugs for t in LISTED_TOPICS
        )
        topics = [t for t in a.topics if t in SECTION_TOPICS]
        return named or (not topics and not a.together and bool(self.items.concept(a.leftover)))

    def reverse(self, a: Analysis, drugs: Sequence[str], every: bool = False) -> Reply | None:
        """Which of ``drugs`` list what the question names, by the items' own words and the
        lay terms; failing that, whose how-it-works text uses the question's telling words."""
        named = {
            t: {d: self.items.named(a.content, a.terms, d, t) for d in drugs} for t in LISTED_TOPICS
        }
        wanted = self.check_topic(a, {t: [i for d in drugs for i in named[t][d]] for t in named})
        term = a.terms[0] if a.terms else None
        label = next((t.label for t in self.kb.terms.terms if t.id == term), None)
        concept_words = self.items.concept(a.leftover) or self.items.concept(a.content)
        concept = label or " ".join(concept_words).capitalize()
        texts: dict[str, list[str]] = {}
        for drug in drugs:
            section = self.kb.drugs[drug].sections.how_it_works
            if not (section and concept_words and self.index.covers(concept_words, [drug])):
                continue
            if self.index.rank(concept_words, [drug])[0].unit.topic == "how_it_works":
                texts[drug] = [section.text]
        items_cover = any(self.items.cover(concept_words, d, wanted) for d in drugs)
        if any(named[wanted].values()) and (items_cover or not texts):
            return self.replies.reverse(concept, wanted, named[wanted], drugs, every)
        if texts:
            return self.replies.reverse(concept, "how_it_works", texts, drugs, every)
        if not concept or every:
            return None  # "what drugs cause X?" of no drug we know: not ours to answer
        return self.replies.reverse(concept, wanted, {}, drugs, every)

    # -- one drug --------------------------------------------------------------------------------

    def uncovered(self, a: Analysis, drugs: Sequence[str]) -> str | None:
        """A topic the knowledge does not cover, unless the drugs' own texts speak of it
        ("Pain after surgery" is listed: "surgery" is covered there)."""
        if not a.uncovered or self.index.covers(a.uncovered_words, drugs or list(self.kb.drugs)):
            return None
        return a.uncovered[0]

    def one_drug(self, a: Analysis, drug_id: str) -> Reply:
        drug = self.kb.drugs[drug_id]
        uncovered = self.uncovered(a, [drug_id])
        if uncovered:
            return self.replies.uncovered(uncovered, [drug_id])
        topics = [t for t in a.topics if t in SECTION_TOPICS]
        if "how_it_works" in topics:  # "how does it work for pain?" asks how, not whether
            return self.compose.sections(drug, ["how_it_works"])
        # A section topic or lay term is read by the lexicon; an FAQ must then fit the rest.
        asked = a.leftover if (topics or a.terms) else a.content
        # The FAQs are about the combination: a question about one drug must fit one well.
        faq = self.faq(a, [drug_id], asked, ONE_DRUG_FAQ)
        check = self.check(a, drug_id)
        named = check is not None and (check.score == 100 or bool(a.terms))
        if check and named and a.has("check:side_effects"):
            return check  # "does it make you lose weight?" asks that, whatever an FAQ says
        if faq and check and named:
            # "can I stop it cold turkey? sick of the dry mouth": the FAQ, then the check
            return self.replies.both(faq, check)
        grouped = any(s.startswith("=") for s in self.index.normaliser.stems(asked))
        if faq and check and a.has("check:side_effects") and not grouped:
            faq = None  # "does it cause hair loss?": an FAQ sharing "loss" is not the answer
        if faq and not topics:
            return faq
        if check and not named and not topics:
            # Words the knowledge uses elsewhere ("does it affect serotonin"): that unit.
            found = self.best_unit(a, [drug_id], a.leftover)
            if found is not None and found.unit.kind == "section":
                return self.answer_unit(found)
        if check and named and not (a.terms or a.has("check:usage")):
            # Items named in passing ("on the muscles or on the brain?"): a section that
            # holds more of the question's words is what is asked.
            found = self.best_unit(a, [drug_id])
            if found is not None and found.unit.topic == "how_it_works":
                return self.answer_unit(found)
        if check and (named or not topics):
            return check
        if topics:
            return self.compose.sections(drug, topics)
        if faq:
            return faq
        if drug_id in a.classes:
            return self.compose.sections(drug, ["how_it_works"])
        found = self.best_unit(a, [drug_id])
        if found is not None:
            return self.answer_unit(found)
        if check:
            return check
        if a.has("overview") or not self.index.telling(a.content):
            return self.compose.overview(drug)
        concept = self.items.concept(a.leftover)
        if concept and len(concept) <= MAX_CONCEPT and len(a.content) <= SHORT_QUESTION:
            topic = self.check_topic(a, {t: [] for t in LISTED_TOPICS})
            return self.replies.check(drug, topic, [], " ".join(concept).capitalize(), None)
        return self.compose.overview(drug)
