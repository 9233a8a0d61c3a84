"""Matching a question to FAQ entries by their question and alternate phrasings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.knowledge import KnowledgeBase
from bot.schema import Combination, Faq
from bot.text import words

FAQ_SCORE = 75.0
"""The least similarity (0-100, rapidfuzz) for an FAQ to be a candidate."""


@dataclass(frozen=True)
class FaqEntry:
    combination: Combination
    faq: Faq

    @property
    def key(self) -> str:
        return f"{self.combination.id}#{self.faq.id}"


@dataclass(frozen=True)
class FaqHit:
    entry: FaqEntry
    score: float


class FaqIndex:
    """Each FAQ's question and phrasings, reduced to their meaningful words, once."""

    def __init__(self, knowledge: KnowledgeBase, ignore: frozenset[str]) -> None:
        self._ignore = ignore
        drug_words = {
            w
            for drug in knowledge.drugs.values()
            for name in (drug.name, drug.generic_name, *drug.brands)
            for w in words(name)
        }
        self._ignore_all = ignore | drug_words
        self._texts: list[str] = []
        self._owners: list[FaqEntry] = []
        self._by_drug: dict[str, list[int]] = {}
        for combination in knowledge.combinations.values():
            for faq in combination.faqs:
                entry = FaqEntry(combination, faq)
                for text in (faq.question, *faq.phrasings):
                    index = len(self._texts)
                    self._texts.append(self.reduce(words(text), self._ignore_all))
                    self._owners.append(entry)
                    for drug in combination.drugs:
                        self._by_drug.setdefault(drug, []).append(index)

    @staticmethod
    def reduce(tokens: Iterable[str], ignore: frozenset[str]) -> str:
        return " ".join(w for w in tokens if w not in ignore)

    def search(self, content: Sequence[str], drugs: Sequence[str] = ()) -> list[FaqHit]:
        """FAQs similar to ``content`` (a question's words without drug names), best first,
        one hit per FAQ; with ``drugs``, only the FAQs of combinations of all of them."""
        query = self.reduce(content, self._ignore)
        if not query:
            return []
        if drugs:
            allowed = set.intersection(*(set(self._by_drug.get(d, ())) for d in drugs))
            choices = {i: self._texts[i] for i in sorted(allowed)}
        else:
            choices = dict(enumerate(self._texts))
        # Three words or more may be a subset of a longer phrasing ("why would my doctor add
        # it" within "why would my doctor add the other one"); fewer must match as a whole.
        scorer = fuzz.token_ratio if query.count(" ") >= 2 else fuzz.token_sort_ratio
        best: dict[str, FaqHit] = {}
        for _, score, index in process.extract(
            query, choices, scorer=scorer, score_cutoff=FAQ_SCORE, limit=20
        ):
            entry = self._owners[index]
            if entry.key not in best or best[entry.key].score < score:
                best[entry.key] = FaqHit(entry, score)
        return sorted(best.values(), key=lambda hit: (-hit.score, hit.entry.key))
