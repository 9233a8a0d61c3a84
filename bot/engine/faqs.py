"""Matching a question to FAQ entries by their question and alternate phrasings."""

from __future__ import annotations

import heapq
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.schema import Combination, Faq
from bot.knowledge.text import words

FAQ_SCORE = 75.0
"""The least similarity (0-100, rapidfuzz) for an FAQ to be a candidate..."""
SHORT_FAQ_SCORE = 88.0
"""...and for a question of one or two meaningful words, where one word is half of it."""
LIMIT = 20
"""Candidates taken from each scorer."""

Scorer = Callable[..., float]
Candidate = tuple[str, float, int]
"""As from ``process.extract``: the text, its score, its index."""


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
        # "is it ok to mix them" is nothing but ignored words ("mix" points at taking drugs
        # together): such a phrasing, and a question like it, keep the words that are ignored
        # only as pointers to "together", or the phrasing could never be matched.
        self._loose = frozenset(w for p in knowledge.words.faq_ignore for w in words(p))
        self._filler = frozenset(w for p in knowledge.words.filler for w in words(p))
        self._texts: list[str] = []
        self._owners: list[FaqEntry] = []
        self._by_drug: dict[str, list[int]] = {}
        for combination in knowledge.combinations.values():
            for faq in combination.faqs:
                entry = FaqEntry(combination, faq)
                for text in (faq.question, *faq.phrasings):
                    index = len(self._texts)
                    tokens = words(text)
                    reduced = self.reduce(tokens, self._ignore_all)
                    text = reduced or self.reduce(tokens, self._loose | drug_words)
                    self._texts.append(sys.intern(text))  # pages repeat their FAQs
                    self._owners.append(entry)
                    for drug in combination.drugs:
                        self._by_drug.setdefault(drug, []).append(index)
        # Pages repeat the same questions ("Is it safe to take these drugs together?"): a
        # question asked of every FAQ scores each distinct text once.
        self._places: dict[str, list[int]] = {}
        for index, text in enumerate(self._texts):
            self._places.setdefault(text, []).append(index)
        self._distinct = list(self._places)

    @staticmethod
    def reduce(tokens: Iterable[str], ignore: frozenset[str]) -> str:
        return " ".join(w for w in tokens if w not in ignore)

    def search(self, content: Sequence[str], drugs: Sequence[str] = ()) -> list[FaqHit]:
        """FAQs similar to ``content`` (a question's words without drug names), best first,
        one hit per FAQ; with ``drugs``, only the FAQs of combinations of all of them."""
        alpha = [w for w in content if w.isalpha()]
        query = self.reduce(alpha, self._ignore) or self.reduce(alpha, self._loose)
        if not query:
            return []
        choices: dict[int, str] | None = None
        if drugs:
            allowed = set.intersection(*(set(self._by_drug.get(d, ())) for d in drugs))
            choices = {i: self._texts[i] for i in sorted(allowed)}
        long_query = query.count(" ") >= 2
        cutoff = FAQ_SCORE if long_query else SHORT_FAQ_SCORE
        found = self._extract(query, choices, fuzz.token_sort_ratio, cutoff)
        if " " in query:
            # A question may be part of a longer phrasing ("why would my doctor add it" in
            # "why would my doctor add the other one"). token_set_ratio scores that 100, but
            # also any one-word phrasing inside a long question, so only the hits where the
            # question is the smaller side, and shares at least three words or all of its
            # words, count; and only when a shared word tells something: "what happens if" is
            # part of "what happens if I stop abruptly", but asks nothing of it.
            asked = set(query.split())
            found += [
                hit
                for hit in self._extract(query, choices, fuzz.token_set_ratio, FAQ_SCORE)
                if is_part_of(asked, set(hit[0].split()), self._filler)
            ]
        best: dict[str, FaqHit] = {}
        for _, score, index in found:
            entry = self._owners[index]
            if entry.key not in best or best[entry.key].score < score:
                best[entry.key] = FaqHit(entry, score)
        return sorted(best.values(), key=lambda hit: (-hit.score, hit.entry.key))

    def _extract(
        self, query: str, choices: dict[int, str] | None, scorer: Scorer, cutoff: float
    ) -> list[Candidate]:
        """The best ``LIMIT`` of ``choices`` (None: every text), as ``process.extract`` ranks
        them: by score, then by index."""
        if choices is not None:
            found = process.extract(query, choices, scorer=scorer, score_cutoff=cutoff, limit=LIMIT)
            return [(text, score, index) for text, score, index in found]
        scored = process.extract(
            query, self._distinct, scorer=scorer, score_cutoff=cutoff, limit=None
        )
        by_score: dict[float, list[list[int]]] = {}
        for text, score, _ in scored:
            by_score.setdefault(score, []).append(self._places[text])
        best: list[Candidate] = []
        for score in sorted(by_score, reverse=True):
            for index in heapq.merge(*by_score[score]):
                best.append((self._texts[index], score, index))
                if len(best) == LIMIT:
                    return best
        return best


def is_part_of(asked: set[str], phrasing: set[str], filler: frozenset[str] = frozenset()) -> bool:
    """Is the question part of a longer phrasing, sharing at least one telling word?"""
    common = asked & phrasing
    shared = len(common)
    if not common - filler:
        return False
    return len(phrasing) >= len(asked) and (shared >= 3 or shared == len(asked))
