"""Words to comparable stems: "sweating" and "sweat", "headaches" and "Headache" meet.

The knowledge's texts and a question pass through the same :class:`StemNormaliser`, so any
word a page uses is matchable as the person types it, in any inflection. Groups of words that
mean the same here (the lexicon's ``synonyms.yaml``: "wean", "quit", "cold turkey" and "stop")
are folded into one stem on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import snowballstemmer

from bot.engine.phrases import PhraseIndex
from bot.knowledge.text import words

_ENGLISH = snowballstemmer.stemmer("english")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of one casefolded word; words with digits are kept."""
    if not word.isalpha():
        return word
    return str(_ENGLISH.stemWord(word))


class StemNormaliser:
    """Word lists to stems, with synonym groups folded and stop words left out."""

    def __init__(
        self,
        groups: Iterable[Sequence[str]],
        stop: Iterable[str] = (),
        prefixes: Iterable[str] = (),
    ) -> None:
        """``prefixes``: written apart ("non-opioid"), joined to the next word: a non-opioid
        is no opioid."""
        self._prefixes = frozenset(prefixes)
        entries: list[tuple[str, str]] = []
        for group in groups:
            first = words(group[0]) if group else []
            if not first:
                continue
            canonical = "=" + stem(first[-1])
            entries += [(phrase, canonical) for phrase in group]
        self._synonyms = PhraseIndex(entries)
        self._stop = frozenset(stem(w) for w in stop) | frozenset(stop)

    def stems(self, tokens: Sequence[str]) -> list[str]:
        """The stems of ``tokens`` in order; a synonym phrase becomes its group's stem."""
        out: list[str] = []
        position = 0
        matches = {m.start: m for m in self._synonyms.find(tokens)}
        while position < len(tokens):
            match = matches.get(position)
            if match is not None:
                out.append(match.value)
                position = match.end
                continue
            word = tokens[position]
            position += 1
            if word in self._prefixes and position < len(tokens):
                word += tokens[position]
                position += 1
            if word in self._stop or len(word) < 2:
                continue
            stemmed = stem(word)
            if stemmed not in self._stop:
                out.append(stemmed)
        return out

    def grouped(self, tokens: Sequence[str]) -> list[str]:
        """The words of ``tokens`` that a synonym group holds ("cold turkey", "stop")."""
        return [w for m in self._synonyms.find(tokens) for w in tokens[m.start : m.end]]

    def text_stems(self, text: str) -> list[str]:
        return self.stems(words(text))
