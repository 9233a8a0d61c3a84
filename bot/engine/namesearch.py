"""Fuzzy look-ups in a fixed list of words, fast for tens of thousands of them.

A word can only be similar to words of about its own length: ``fuzz.ratio`` is at most
``100 * (1 - |a - b| / (a + b))`` for lengths ``a`` and ``b``, and a Levenshtein distance is
at least ``|a - b|``. So the words are kept in buckets by length, and a look-up only scans the
buckets that can reach the cutoff.

A long list (thousands of drug names) is also filtered by letters: ``fuzz.ratio`` is
``200 * LCS / (a + b)``, and the longest common subsequence is at most the number of letters
the two words share, counted with repeats. For every letter and count ("two e's or more") a
bitset over the words is kept, in Python integers; the shared letters of the query and every
word are added up in bit-sliced counters, a few dozen integer operations for the whole list,
and only the words that share enough letters are scored.

The answers are exactly those of one ``rapidfuzz.process.extractOne`` over the whole sorted
list, ties included (the first word in sorted order wins), only without scoring words that
cannot match.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

_EPSILON = 1e-9
LETTER_INDEX_MIN = 1000
"""A list this long is worth the letter filter; a shorter one is scanned by length."""


class WordList:
    """Words (deduplicated, sorted) in buckets by length."""

    def __init__(self, words: Iterable[str], letter_index_min: int | None = None) -> None:
        """``letter_index_min``: build the letter filter for :meth:`best_ratio` when there are
        at least this many words (None: never, for a list only searched by distance)."""
        self.words = sorted(set(words))
        self._by_length: dict[int, list[str]] = {}
        for word in self.words:  # sorted, so every bucket is sorted too
            self._by_length.setdefault(len(word), []).append(word)
        wanted = letter_index_min is not None and len(self.words) >= letter_index_min
        self._letters = LetterIndex(self.words) if wanted else None

    def __len__(self) -> int:
        return len(self.words)

    def bucket(self, length: int) -> list[str]:
        return self._by_length.get(length, [])

    def best_ratio(self, word: str, cutoff: float) -> tuple[str, float] | None:
        """As ``process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=cutoff)``."""
        if self._letters is not None:
            candidates = self._letters.candidates(word, cutoff)
            found = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=cutoff)
            return None if found is None else (str(found[0]), float(found[1]))
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


class LetterIndex:
    """Bitsets over a word list ordered by length: the bit of word ``i`` in ``(letter, k)``
    is set when the word has the letter at least ``k`` times. Word ``i`` is bit
    ``size - 1 - i``, so each bitset is read straight from a string of 0s and 1s."""

    def __init__(self, words: list[str]) -> None:
        self._order = sorted(words, key=lambda w: (len(w), w))
        self._size = size = len(self._order)
        self._ranges: dict[int, tuple[int, int]] = {}
        places: dict[tuple[str, int], list[int]] = {}
        for index, word in enumerate(self._order):
            first, _ = self._ranges.get(len(word), (index, index))
            self._ranges[len(word)] = (first, index + 1)
            seen: dict[str, int] = {}
            for letter in word:
                k = seen[letter] = seen.get(letter, 0) + 1
                key = (letter, k)
                found = places.get(key)
                if found is None:
                    places[key] = [index]
                else:
                    found.append(index)
        self._bits = {key: _bitset(indices, size) for key, indices in places.items()}

    def candidates(self, word: str, cutoff: float) -> list[str]:
        """The words, sorted, that share enough letters with ``word`` to reach ``cutoff``."""
        planes: list[int] = []  # a binary counter per word: plane j holds bit j of the count
        seen: dict[str, int] = {}
        for letter in word:
            k = seen[letter] = seen.get(letter, 0) + 1
            carry = self._bits.get((letter, k), 0)
            for j, plane in enumerate(planes):
                if not carry:
                    break
                planes[j], carry = plane ^ carry, plane & carry
            if carry:
                planes.append(carry)
        size = len(word)
        chosen = 0
        # Neighbouring lengths that need as many shared letters are one run of words (the
        # list is ordered by length): counted in one pass.
        runs: list[list[int]] = []  # needed, first, end
        for length, (first, end) in self._ranges.items():
            if size + length == 0:
                continue
            if 100.0 * (1 - abs(size - length) / (size + length)) + _EPSILON < cutoff:
                continue
            needed = math.ceil(cutoff * (size + length) / 200 - 1e-6)
            if runs and runs[-1][0] == needed and runs[-1][2] == first:
                runs[-1][2] = end
            else:
                runs.append([needed, first, end])
        for needed, first, end in runs:
            mask = ((1 << (end - first)) - 1) << (self._size - end)
            chosen |= _at_least(planes, needed, mask)
        found = []
        bits = format(chosen, f"0{self._size}b")  # word i is character i
        index = bits.find("1")
        while index >= 0:
            found.append(self._order[index])
            index = bits.find("1", index + 1)
        found.sort()
        return found


def _bitset(indices: list[int], size: int) -> int:
    """The integer with bit ``size - 1 - i`` set for each ``i``, read from a string of 0s and
    1s (one pass, however many bits are set)."""
    digits = bytearray(b"0" * size)
    for index in indices:
        digits[index] = 49  # "1"
    return int(digits, 2)


def _at_least(planes: list[int], needed: int, mask: int) -> int:
    """The bits of ``mask`` whose count (bit-sliced in ``planes``) is at least ``needed``."""
    if needed <= 0:
        return mask
    if needed.bit_length() > len(planes):
        return 0
    greater, equal = 0, mask
    for j in range(len(planes) - 1, -1, -1):
        plane = planes[j]
        if (needed >> j) & 1:
            equal &= plane
        else:
            greater |= equal & plane
            equal &= ~plane
    return greater | equal
