"""Which listed items (side effects, uses) a question names, by the items' own words.

"does duloxetine make you sweat" names "Increased sweating"; "does sertraline cause headaches"
names "Headache". An item is named when the question contains one of its telling stems:
words that are neither modifiers ("increased", "difficulty") nor the lexicon's stop words.
The lexicon's lay terms add more doors: "queasy" is a term whose listed word is "nausea".
A "no, it is not listed" is only said when no item is named by either door.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from bot.engine.listing import matching_items
from bot.engine.stems import StemNormaliser
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.schema import ListSection
from bot.knowledge.text import words


class ItemMatcher:
    def __init__(self, knowledge: KnowledgeBase, normaliser: StemNormaliser) -> None:
        self.knowledge = knowledge
        modifiers = {w for phrase in knowledge.words.modifiers for w in words(phrase)}
        self._modifiers = StemNormaliser((), modifiers)
        self._normaliser = normaliser
        self._items: dict[tuple[str, str], list[tuple[str, frozenset[str]]]] = {}
        for drug in knowledge.drugs.values():
            for topic, section in drug.sections.items():
                if isinstance(section, ListSection):
                    self._items[(drug.id, topic)] = [
                        (item, frozenset(self._telling(words(item)))) for item in section.items
                    ]
        self._terms = {term.id: term for term in knowledge.terms.terms}

    def _telling(self, tokens: Sequence[str]) -> list[str]:
        kept = [w for w in tokens if self._modifiers.stems([w])]
        return self._normaliser.stems(kept)

    def named(
        self, tokens: Sequence[str], terms: Sequence[str], drug_id: str, topic: str
    ) -> list[str]:
        """The items of ``drug_id`` under ``topic`` that ``tokens`` (or lay ``terms``) name;
        two words may be one in the item ("heart beat", "Fast heartbeat")."""
        joined = [a + b for a, b in itertools.pairwise(tokens)]
        asked = set(self._telling(tokens)) | set(self._normaliser.stems(joined))
        found: list[str] = []
        for item, stems in self._items.get((drug_id, topic), ()):
            if asked & stems:
                found.append(item)
        section = self.knowledge.drugs[drug_id].sections.get(topic)
        if isinstance(section, ListSection):
            for term_id in terms:
                term = self._terms.get(term_id)
                if term is not None:
                    named = matching_items(section.items, term.listed)
                    found += [i for i in named if i not in found]
        order = {item: n for n, (item, _) in enumerate(self._items.get((drug_id, topic), ()))}
        return sorted(found, key=lambda item: order.get(item, 0))

    def cover(self, tokens: Sequence[str], drug_id: str, topic: str) -> bool:
        """Do the items of ``drug_id`` under ``topic`` hold every telling word of ``tokens``?"""
        asked = set(self._telling(tokens))
        held = {s for _, stems in self._items.get((drug_id, topic), ()) for s in stems}
        return bool(asked) and asked <= held

    def concept(self, tokens: Sequence[str]) -> list[str]:
        """The telling words of ``tokens``, as typed: what a check asks about."""
        return [w for w in tokens if self._telling([w])]
