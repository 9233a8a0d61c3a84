"""Picking one of the choices a "did you mean ...?" offered: "2", "option 2", "the first one",
"2nd", or by what sets one drug apart ("the antidepressant one", "the one for sleep"). The
words are the lexicon's (``ordinals``, ``choosing``) and the knowledge's own; anything else
is a new question."""

from __future__ import annotations

from collections.abc import Sequence

from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.schema import ListSection
from bot.knowledge.text import words

SUFFIXES = ("st", "nd", "rd", "th")
DESCRIBED_WORDS = 3
"""At most this many words left to describe a choice with ("antidepressant"): more is a new
question."""
STEM = 5
"""Letters two words share to be the same word ("seizure", "seizures")."""


class ChoicePicker:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        lists = knowledge.words
        self._ordinals = {w: n for n, p in enumerate(lists.ordinals, 1) for w in words(p)}
        self._around = frozenset(w for p in lists.choosing for w in words(p))
        self._filler = frozenset(w for p in lists.filler for w in words(p))
        self._told: dict[str, frozenset[str]] = {}
        for drug in knowledge.drugs.values():
            texts = [drug.name, *drug.brands]
            for section in drug.sections.values():
                texts += section.items if isinstance(section, ListSection) else [section.text]
            self._told[drug.id] = frozenset(w[:STEM] for t in texts for w in words(t))

    def number(self, message: str, drugs: Sequence[str | None] = ()) -> str | None:
        """The choice number a message picks ("the first one" -> "1"), or None when the
        message says more than a pick; with the ``drugs`` the choices are about, also a
        choice picked by words only its drug's knowledge holds."""
        kept = [w for w in words(message) if w not in self._around]
        if len(kept) != 1:
            return self._described(kept, drugs)
        word = kept[0]
        if word.isdigit():
            return word
        if word[-2:] in SUFFIXES and word[:-2].isdigit():
            return word[:-2]
        found = self._ordinals.get(word)
        return str(found) if found else self._described(kept, drugs)

    def _described(self, kept: list[str], drugs: Sequence[str | None]) -> str | None:
        said = {w[:STEM] for w in kept if w not in self._filler}
        if not said or len(said) > DESCRIBED_WORDS:
            return None
        told = [self._told.get(drug or "", frozenset()) for drug in drugs]
        if len(set(drugs)) != len(drugs) or not all(told):
            return None  # choices of one drug, or not of drugs: words cannot tell them apart
        matching = [n for n, words_of in enumerate(told, 1) if said & words_of]
        return str(matching[0]) if len(matching) == 1 else None
