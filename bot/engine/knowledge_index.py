"""Every answerable unit of the knowledge, matchable by its own words.

A unit is a drug's section (usage, side effects, how it works), an FAQ (its question, the
phrasings a maintainer added, and its answer), a combination's text, or a drug overview.
Each is indexed once, at load time, as stems (:mod:`bot.engine.stems`). A question is scored
against the units of the drugs it is about: the share of its telling words, weighted by how
rare each is in the knowledge (inverse document frequency, as in BM25), that a unit contains.
A page imported with no hand-written aids is matchable through its own text alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.engine.stems import StemNormaliser
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.schema import ListSection
from bot.knowledge.text import words

UNSEEN_WEIGHT = 0.3
QUESTION_WEIGHT = 2.0
"""An FAQ's own question counts twice its answer: it says what the entry is about."""


@dataclass(frozen=True)
class Unit:
    kind: str
    """section, faq, combination or overview."""
    drugs: tuple[str, ...]
    topic: str | None = None
    combination: str | None = None
    faq: str | None = None

    @property
    def key(self) -> str:
        if self.kind == "faq":
            return f"{self.combination}#{self.faq}"
        if self.kind == "combination":
            return str(self.combination)
        return f"{self.drugs[0]}/{self.topic}"


@dataclass(frozen=True)
class Candidate:
    unit: Unit
    score: float
    """0-100: the share of the question's telling words (by rarity) the unit contains."""
    strength: float
    """The matched words' weight, for ordering candidates of equal share."""
    own_words: bool = True
    """Whether a word of the page itself matched, not only one synonym group ("works"): two
    groups the page's own text uses ("work ... brain") count as its words."""


class KnowledgeIndex:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        lists = knowledge.words
        drug_words = {
            w
            for drug in knowledge.drugs.values()
            for name in (drug.name, drug.generic_name, *drug.brands, *drug.abbreviations)
            for w in words(name)
        }
        # Words that point back ("the other one") name a drug of the context, not a unit.
        pointers = (*lists.filler, *lists.faq_ignore, *lists.other_one)
        stop = {w for phrase in pointers for w in words(phrase)}
        prefixes = {w for p in lists.prefixes for w in words(p)}
        self.normaliser = StemNormaliser(knowledge.synonyms.groups, stop | drug_words, prefixes)
        self._units: list[Unit] = []
        self._stems: list[frozenset[str]] = []
        self._heavy: dict[int, frozenset[str]] = {}
        self._page_groups: dict[int, frozenset[str]] = {}
        """Synonym groups a unit's page text itself uses (not only the lexicon's phrasings)."""
        self._interned: dict[frozenset[str], frozenset[str]] = {}
        """Stems of an FAQ's own question, which weigh :data:`QUESTION_WEIGHT`."""
        self._using: dict[str, int] = {}
        """Stem -> the drugs whose pages (not the lexicon's phrasings) use it, as a bitset
        over the drugs' order (thousands of drugs in a few hundred bytes)."""
        self._own_using: dict[str, int] = {}
        """The same, from each drug's own sections only (no combination's texts)."""
        self._order = {drug: n for n, drug in enumerate(knowledge.drugs)}
        self._ids = list(knowledge.drugs)
        self._by_drug: dict[str, list[int]] = {}
        topics = knowledge.topics.topics
        for drug in knowledge.drugs.values():
            owner = (drug.id,)  # one tuple for all the drug's units
            for topic, section in drug.sections.items():
                said = [*(topics[topic].phrasings if topic in topics else ()), topic]
                if isinstance(section, ListSection):
                    texts = [section.lead or "", *section.items]
                else:
                    texts = [section.text, *drug.classes]
                self._add(Unit("section", owner, topic), [(texts, 1.0)], said)
            self._add(Unit("overview", owner, "overview"), [], lists.overview)
        for combination in knowledge.combinations.values():
            owners = tuple(combination.drugs)
            about = [combination.about or "", combination.combined_use or ""]
            self._add(Unit("combination", owners, "together", combination.id), [(about, 1.0)])
            for faq in combination.faqs:
                unit = Unit("faq", owners, "faq", combination.id, faq.id)
                fields = [([faq.question], QUESTION_WEIGHT), ([*faq.phrasings, faq.answer], 1.0)]
                self._add(unit, fields)
        self._drugs = len(self._by_drug)
        del self._interned  # only needed while building
        documents = len(self._units) or 1
        frequency: dict[str, int] = {}
        for stems in self._stems:
            for s in stems:
                frequency[s] = frequency.get(s, 0) + 1
        self._idf = {s: math.log(1 + documents / n) for s, n in frequency.items()}
        # A word no unit uses is mostly chatter ("lol", "tonight"): it weighs little, so it
        # does not hide what the rest of the question asks.
        self._unseen = UNSEEN_WEIGHT

    def _add(
        self,
        unit: Unit,
        fields: Iterable[tuple[Sequence[str], float]],
        said: Sequence[str] = (),
    ) -> None:
        """``fields``: the page's texts, with weights; ``said``: the lexicon's phrasings for
        the unit, matchable too, but not words the page itself uses."""
        own: set[str] = set()
        heavy: set[str] = set()
        for texts, weight in fields:
            for text in texts:
                found = self.normaliser.text_stems(text)
                own.update(found)
                if weight > 1:
                    heavy.update(found)
        bits = 0
        for drug in unit.drugs:
            bits |= 1 << self._order[drug]
        for stem in own:
            self._using[stem] = self._using.get(stem, 0) | bits
            if unit.kind == "section":
                self._own_using[stem] = self._own_using.get(stem, 0) | bits
        said_stems = {s for text in said for s in self.normaliser.text_stems(text)}
        index = len(self._units)
        self._units.append(unit)
        # Pages repeat texts ("Is it safe to take these drugs together?"): one set each.
        self._stems.append(self._shared(frozenset(own | said_stems)))
        if heavy:
            self._heavy[index] = self._shared(frozenset(heavy))
        groups = frozenset(s for s in own if s.startswith("="))
        if groups:
            self._page_groups[index] = self._shared(groups)
        for drug in unit.drugs:
            self._by_drug.setdefault(drug, []).append(index)

    def _shared(self, stems: frozenset[str]) -> frozenset[str]:
        return self._interned.setdefault(stems, stems)

    def weight(self, stem: str) -> float:
        """How telling a stem is: the rarer in the knowledge, the more."""
        return self._idf.get(stem, self._unseen)

    def rank(self, tokens: Sequence[str], drugs: Sequence[str], limit: int = 5) -> list[Candidate]:
        """The units about all of ``drugs`` that share words with ``tokens``, best first."""
        query = list(dict.fromkeys(self.normaliser.stems(tokens)))
        if not query or not drugs:
            return []
        places = set.intersection(*(set(self._by_drug.get(d, ())) for d in drugs))
        total = sum(self.weight(s) for s in query)
        found = []
        for index in sorted(places):
            stems = self._stems[index]
            heavy = self._heavy.get(index, frozenset())
            shared = [s for s in query if s in stems]
            if not shared:
                continue
            share = sum(self.weight(s) for s in shared) / total
            strength = sum(self.weight(s) * (QUESTION_WEIGHT if s in heavy else 1) for s in shared)
            own = any(not s.startswith("=") for s in shared) or (
                len(self._page_groups.get(index, frozenset()).intersection(shared)) > 1
            )
            found.append(Candidate(self._units[index], 100 * share, strength, own))
        found.sort(key=lambda c: (-c.score, -c.strength, c.unit.key))
        return found[:limit]

    def covers(self, tokens: Sequence[str], drugs: Sequence[str]) -> bool:
        """Do the pages of ``drugs`` (together) use every telling word of ``tokens``? Of one
        drug, only its own sections count: a combination's text on "interactions" between
        the two says nothing of that drug with any other medicine."""
        stems = set(self.normaliser.stems(tokens))
        if not stems:
            return False
        using = self._own_using if len(drugs) == 1 else self._using
        if len(drugs) >= self._drugs:  # every drug: any page will do
            return all(s in using for s in stems)
        mask = 0
        for drug in drugs:
            mask |= 1 << self._order[drug]
        return all(using.get(s, 0) & mask for s in stems)

    def using_all(self, tokens: Sequence[str], limit: int) -> set[str] | None:
        """The drugs whose pages use every telling word of ``tokens``; None when more than
        ``limit`` do."""
        stems = set(self.normaliser.stems(tokens))
        if not stems:
            return set()
        mask = -1
        for stem in stems:
            mask &= self._using.get(stem, 0)
        if mask.bit_count() > limit:
            return None
        return {self._ids[n] for n in range(mask.bit_length()) if mask >> n & 1}

    def telling(self, tokens: Sequence[str]) -> list[str]:
        """The words of ``tokens`` that are neither stop words nor drug names."""
        return [w for w in tokens if self.normaliser.stems([w])]
