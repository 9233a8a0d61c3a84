"""Fuzzy look-ups in a fixed list of words, fast for tens of thousands of them.

A word can only be similar to words of about its own length: ``fuzz.ratio`` is at most
``100 * (1 - |a - b| / (a + b))`` for lengths ``a`` and ``b``, and a Levenshtein distance is
at least ``|a - b|``. So the words are kept in buckets by length, and a look-up only scans the
buckets that can reach the cutoff. The answers are exactly those of one
``rapidfuzz.process.extractOne`` over the whole sorted list, ties included (the first word in
sorted order wins), only without scanning words that cannot match.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

_EPSILON = 1e-9


class WordList:
    """Words (deduplicated, sorted) in buckets by length."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(set(words))
        self._by_length: dict[int, list[str]] = {}
        for word in self.words:  # sorted, so every bucket is sorted too
            self._by_length.setdefault(len(word), []).append(word)

    def __len__(self) -> int:
        return len(self.words)

    def bucket(self, length: int) -> list[str]:
        return self._by_length.get(length, [])

    def best_ratio(self, word: str, cutoff: float) -> tuple[str, float] | None:
        """As ``process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=cutoff)``."""
        size = len(word)
        best: tuple[str, float] | None = None
        for length, bucket in self._by_length.items():
            if size + length == 0:
                continue
            reachable = 100.0 * (1 - abs(size - length) / (size + length))
            if reachable + _EPSILON < cutoff:
                continue
            found = process.extractOne(word, bucket, scorer=fuzz.ratio, score_cutoff=cutoff)
            if found is None:
                continue
            name, score = str(found[0]), float(found[1])
            if best is None or score > best[1] or (score == best[1] and name < best[0]):
                best = (name, score)
                cutoff = score  # a later bucket must at least tie to matter
        return best

    def nearest(self, word: str, max_distance: int) -> str | None:
        """As ``process.extractOne(word, words, scorer=Levenshtein.distance,
        score_cutoff=max_distance)``: the closest word, the first in sorted order on a tie."""
        size = len(word)
        best: tuple[int, str] | None = None
        for length in range(size - max_distance, size + max_distance + 1):
            bucket = self._by_length.get(length)
            if not bucket:
                continue
            limit = max_distance if best is None else best[0]
            found = process.extractOne(
                word, bucket, scorer=Levenshtein.distance, score_cutoff=limit
            )
            if found is None:
                continue
            candidate = (int(found[1]), str(found[0]))
            if best is None or candidate < best:
                best = candidate
        return None if best is None else best[1]

    def within(self, word: str, max_distance: int, length: int) -> list[str]:
        """The words of ``length`` letters at most ``max_distance`` edits from ``word``."""
        found = process.extract(
            word,
            self.bucket(length),
            scorer=Levenshtein.distance,
            score_cutoff=max_distance,
            limit=None,
        )
        return [str(name) for name, _, _ in found]
