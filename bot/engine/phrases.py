"""Finding known phrases in a question, and correcting typos in its words.

Both work on words from :func:`bot.text.words`, so "Side-effects?" and "side effects" are the
same phrase. Typos are corrected word by word against the vocabulary of the knowledge, before
phrases are looked up, so every phrase in the knowledge is typo tolerant for free.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.engine.namesearch import WordList
from bot.knowledge.text import words

V = TypeVar("V")


@dataclass(frozen=True)
class PhraseMatch(Generic[V]):
    start: int
    end: int
    value: V


class PhraseIndex(Generic[V]):
    """Known phrases, each with a value; finds them in a word list, longest first."""

    def __init__(self, entries: Iterable[tuple[str, V]]) -> None:
        by_first: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # pages repeat phrases: one each
        for phrase, value in entries:
            key = tuple(map(sys.intern, words(phrase)))
            key = shared.setdefault(key, key)
            if key:
                by_first.setdefault(key[0], []).append((key, value))
        for candidates in by_first.values():
            candidates.sort(key=lambda item: -len(item[0]))
        self._by_first = by_first

    def words(self) -> set[str]:
        return {w for group in self._by_first.values() for phrase, _ in group for w in phrase}

    def find(self, tokens: Sequence[str]) -> list[PhraseMatch[V]]:
        """Non-overlapping matches, scanning left to right and preferring the longest."""
        found: list[PhraseMatch[V]] = []
        position = 0
        while position < len(tokens):
            match = self._longest_at(tokens, position)
            if match is None:
                position += 1
                continue
            found.append(match)
            position = match.end
        return found

    def _longest_at(self, tokens: Sequence[str], start: int) -> PhraseMatch[V] | None:
        for phrase, value in self._by_first.get(tokens[start], ()):
            end = start + len(phrase)
            if tuple(tokens[start:end]) == phrase:
                return PhraseMatch(start, end, value)
        return None


class Speller:
    """Corrects a word to the nearest word of the knowledge's vocabulary, when it is close.

    Short words are only corrected for a dropped letter ("sde" -> "side"); longer ones for
    one edit, or two from eight letters on. Protected words (drug names) are never changed.
    Where several words fit, or a real word is typed with two letters swapped ("how dose it
    work"), the neighbouring words decide: the pair seen in the knowledge's own phrasings wins.
    """

    def __init__(
        self,
        vocabulary: Iterable[str],
        protected: Iterable[str] = (),
        phrases: Iterable[str] = (),
        common: frozenset[str] = frozenset(),
    ) -> None:
        """``common``: English words that are what they say ("story" is not a typo of
        "store"); only their neighbours can show one was meant as another word."""
        self._common = common
        self._vocabulary = WordList(w for w in vocabulary if len(w) >= 3)
        self._known = set(self._vocabulary.words) | set(protected)
        self._protected = frozenset(protected)
        self._cache: dict[str, str] = {}
        self._pairs: set[tuple[str, str]] = set()
        for phrase in phrases:
            tokens = words(phrase)
            self._pairs.update(itertools.pairwise(tokens))

    def correct(self, word: str) -> str:
        if word in self._known or len(word) < 3 or not word.isalpha() or word in self._common:
            return word
        cached = self._cache.get(word)
        if cached is None:
            cached = self._nearest(word)
            if len(self._cache) < 50_000:
                self._cache[word] = cached
        return cached

    def correct_all(self, tokens: Sequence[str], keep: Iterable[int] = ()) -> list[str]:
        """Each word corrected, with its neighbours as context; positions in ``keep`` (drug
        names) are left as typed."""
        out = list(tokens)
        kept = set(keep)
        for i, word in enumerate(tokens):
            if i in kept or word in self._protected or len(word) < 3 or not word.isalpha():
                continue
            before = out[i - 1] if i else ""
            after = tokens[i + 1] if i + 1 < len(tokens) else ""
            out[i] = self._in_context(word, before, after)
        return out

    def _fits(self, before: str, word: str, after: str) -> int:
        return ((before, word) in self._pairs) + ((word, after) in self._pairs)

    def _in_context(self, word: str, before: str, after: str) -> str:
        if word in self._known or word in self._common:
            swapped = {
                word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)
            }
            fitting = [w for w in sorted(swapped) if w != word and w in self._known]
            if self._fits(before, word, after):
                return word
            best = max(fitting, key=lambda w: self._fits(before, w, after), default=word)
            return best if self._fits(before, best, after) == 2 else word
        corrected = self.correct(word)
        if corrected != word:
            return corrected
        if len(word) <= 4:
            longer = self._vocabulary.within(word, 1, length=len(word) + 1)
            fitting = [w for w in longer if self._fits(before, w, after)]
            if len(fitting) == 1:
                return fitting[0]
        return word

    def _nearest(self, word: str) -> str:
        if len(word) <= 4:
            # Short words have too many neighbours; only a single dropped letter is mended,
            # and only when one word of the vocabulary fits.
            longer = self._vocabulary.within(word, 1, length=len(word) + 1)
            return longer[0] if len(longer) == 1 else word
        allowed = 1 if len(word) < 8 else 2
        best = self._vocabulary.nearest(word, allowed)
        return word if best is None else best
