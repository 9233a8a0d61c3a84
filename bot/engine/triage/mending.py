"""Typos read as the words they are: "myslef" is "myself", "overdoesd" is "overdosed".

A word is mended only when it is unknown (not in the signal vocabulary, not a drug name, not
a word of the knowledge, not an English word) and is close to exactly one vocabulary word of
similar length that begins with the same letter. Short words are never mended: "pill" is one
letter from "kill".
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

log = logging.getLogger(__name__)

MIN_LENGTH = 5
SWAPPED_LENGTH = 4
"""Words this long or shorter are mended only by a doubled letter ("kil" is "kill") or two
letters swapped ("wnat" is "want")."""
SHORTEST = 3
MAX_CACHED = 50_000
MIN_COUNT = 500
"""How often a word must occur in pyspellchecker's corpus to count as English: its rarest
entries are names, foreign words ("ami") and typos."""

ByLetter = Mapping[tuple[str, int], Sequence[str]]
"""Vocabulary words by first letter and length."""


def allowed_edits(length: int) -> int:
    """Typos a word of ``length`` letters may hold and still be read as another word."""
    if length < MIN_LENGTH:
        return 0
    if length < 8:
        return 1
    return 2 if length < 12 else 3


@cache
def english_words() -> frozenset[str]:
    """English words (pyspellchecker's list): a real word such as "drying" is never mended
    into a vocabulary word ("dying")."""
    try:
        from spellchecker import SpellChecker
    except ImportError:  # pragma: no cover - a declared dependency
        log.warning("pyspellchecker is missing: typos are mended without an English word list")
        return frozenset()
    counts = SpellChecker(distance=1).word_frequency.dictionary
    return frozenset(word for word, count in counts.items() if count >= MIN_COUNT)


def nearest(word: str, by_letter: ByLetter, same: Mapping[str, str] | None = None) -> str:
    """The one vocabulary word ``word`` is a typo of, or ``word`` itself; ``same`` maps
    spellings of one word to one of them (a drug's name and its misspellings), so being as
    close to two of them is no doubt."""
    if len(word) <= SWAPPED_LENGTH:
        # Short words: only a letter typed once that is written twice ("kil", "pils"), or two
        # letters swapped ("wnat"); anything else is too likely another word.
        longer = by_letter.get((word[0], len(word) + 1), ())
        doubled = {word[:i] + word[i - 1 :] for i in range(1, len(word) + 1)}
        short = [w for w in longer if w in doubled]
        short += [
            w
            for w in by_letter.get((word[0], len(word)), ())
            if sorted(w) == sorted(word) and OSA.distance(w, word) == 1
        ]
        return short[0] if len(short) == 1 else word
    edits = allowed_edits(len(word))
    letter, size = word[0], len(word)
    candidates = [
        w for n in range(size - edits, size + edits + 1) for w in by_letter.get((letter, n), ())
    ]
    if not candidates:
        return word
    found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=edits)
    if not found:
        return word
    closest = min(distance for _, distance, _ in found)
    best = list(dict.fromkeys((same or {}).get(w, w) for w, d, _ in found if d == closest))
    if len(best) > 1:  # as close to several: the one of the same length, if only one is
        best = [w for w in best if len(w) == len(word)]
    return str(best[0]) if len(best) == 1 else word


@cache
def english_near(targets: tuple[str, ...]) -> frozenset[str]:
    """The English words that ``targets`` would otherwise mend ("drying" into "dying"):
    worked out once, when the engine is built, so that asking needs no word list."""
    by_letter = _by_letter(targets)
    letters = {letter for letter, _ in by_letter}
    return frozenset(
        w
        for w in english_words()
        if len(w) >= SHORTEST and w[0] in letters and nearest(w, by_letter) != w
    )


def _by_letter(targets: Iterable[str]) -> dict[tuple[str, int], list[str]]:
    found: dict[tuple[str, int], list[str]] = {}
    for word in targets:
        found.setdefault((word[0], len(word)), []).append(word)
    return found


class Mender:
    """Mends unknown words against ``vocabulary``; ``known`` words are taken as written."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        known: Iterable[str],
        same: Mapping[str, str],
        names: frozenset[str] = frozenset(),
    ) -> None:
        """``names``: more known words, kept as given (a big set shared with the caller)."""
        targets = tuple(sorted({w for w in vocabulary if len(w) >= SHORTEST + 1 and w.isalpha()}))
        self._by_letter = _by_letter(targets)
        self._known = frozenset(known) | frozenset(targets) | english_near(targets)
        self._names = names
        self._mended: dict[str, str] = {}
        self._same = dict(same)

    def mend(self, word: str) -> str:
        if word in self._known or word in self._names:
            return word
        if len(word) < SHORTEST or not word.isalpha():
            return word
        found = self._mended.get(word)
        if found is None:
            found = nearest(word, self._by_letter, self._same)
            if len(self._mended) < MAX_CACHED:
                self._mended[word] = found
        return found

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_mended"] = {}  # a cache, not state: never pickled with the engine
        return state
