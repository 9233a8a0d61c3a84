"""Picking one of the choices a "did you mean ...?" offered: "2", "option 2", "the first one",
"2nd". The words are the lexicon's (``ordinals``, ``choosing``); anything else is a new
question."""

from __future__ import annotations

from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.text import words

SUFFIXES = ("st", "nd", "rd", "th")


class ChoicePicker:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        lists = knowledge.words
        self._ordinals = {w: n for n, p in enumerate(lists.ordinals, 1) for w in words(p)}
        self._around = frozenset(w for p in lists.choosing for w in words(p))

    def number(self, message: str) -> str | None:
        """The choice number a message picks ("the first one" -> "1"), or None when the
        message says more than a pick."""
        kept = [w for w in words(message) if w not in self._around]
        if len(kept) != 1:
            return None
        word = kept[0]
        if word.isdigit():
            return word
        if word[-2:] in SUFFIXES and word[:-2].isdigit():
            return word[:-2]
        found = self._ordinals.get(word)
        return str(found) if found else None
