"""Which listed items (side effects, uses) a question names, by the items' own words.

"does duloxetine make you sweat" names "Increased sweating"; "does sertraline cause headaches"
names "Headache". An item is named when the question contains one of its telling stems:
words that are neither modifiers ("increased", "difficulty") nor the lexicon's stop words.
The lexicon's lay terms add more doors: "queasy" is a term whose listed word is "nausea".
A "no, it is not listed" is only said when no item is named by either door.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

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
        self._by_item: dict[str, frozenset[str]] = {}
        self._everywhere: dict[tuple[str, str], list[tuple[int, int, str, str]]] = {}
        """(stem, topic) -> (drug rank, item position, drug, item), for every drug."""
        self._drugs_with: dict[str, set[str]] = {}
        """Stem -> the drugs with an item using it: "which of them ..." reads only those."""
        pairs: dict[str, tuple[str, frozenset[str]]] = {}  # items repeat: one pair each
        for rank, drug in enumerate(knowledge.drugs.values()):
            for topic, section in drug.sections.items():
                if isinstance(section, ListSection):
                    self._items[(drug.id, topic)] = [
                        pairs.setdefault(item, (item, self._stems_of(item)))
                        for item in section.items
                    ]
                    for position, (item, stems) in enumerate(self._items[(drug.id, topic)]):
                        for stem in {*stems, *words(item)}:
                            self._drugs_with.setdefault(stem, set()).add(drug.id)
                        entry = (rank, position, drug.id, item)
                        for stem in stems:
                            self._everywhere.setdefault((stem, topic), []).append(entry)
        self._terms = {term.id: term for term in knowledge.terms.terms}
        self._opposites: dict[str, frozenset[str]] = {}
        for pair in knowledge.words.opposites:
            for word in pair:
                others = frozenset(pair) - {word}
                self._opposites[word] = self._opposites.get(word, frozenset()) | others

    def _stems_of(self, item: str) -> frozenset[str]:
        """An item's telling stems; items repeat across drugs ("Dizziness"): one set each."""
        found = self._by_item.get(item)
        if found is None:
            found = self._by_item[item] = frozenset(self._telling(words(item)))
        return found

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
            shares = bool(asked & stems) or any(close(a, b) for a in asked for b in stems)
            if shares and not self._said_otherwise(tokens, item, stems):
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

    def _said_otherwise(self, tokens: Sequence[str], item: str, stems: frozenset[str]) -> bool:
        """Does the question say the opposite of the item with its word: "lose weight" is not
        "Weight gain"? The item is named when one place in the question says its word without
        an opposite beside it."""
        if not self._opposites:
            return False
        item_words = set(words(item))
        places = 0
        for i, word in enumerate(tokens):
            own = self._telling([word])
            if not own or not any(close(own[0], b) for b in stems):
                continue
            places += 1
            beside = [tokens[j] for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
            if not any(self._opposites.get(w, frozenset()) & item_words for w in beside):
                return False
        return places > 0

    def named_everywhere(self, tokens: Sequence[str], topic: str) -> list[tuple[str, str]]:
        """(drug, item) for every drug's items under ``topic`` that ``tokens`` name by their
        own words, in the knowledge's order (lay terms: see ListedItems.listing)."""
        joined = [a + b for a, b in itertools.pairwise(tokens)]
        asked = set(self._telling(tokens)) | set(self._normaliser.stems(joined))
        found = {e for stem in asked for e in self._everywhere.get((stem, topic), ())}
        return [(drug, item) for _, _, drug, item in sorted(found)]

    def candidates(self, tokens: Sequence[str], terms: Sequence[str]) -> set[str]:
        """The drugs whose items may be named by ``tokens`` or ``terms`` (a superset)."""
        joined = [a + b for a, b in itertools.pairwise(tokens)]
        asked = set(self._telling(tokens)) | set(self._normaliser.stems(joined))
        for term_id in terms:
            term = self._terms.get(term_id)
            if term is not None:  # a lay term's listed phrases are matched as words
                asked.update(w for phrase in term.listed for w in words(phrase)[:1])
        return {drug for stem in asked for drug in self._drugs_with.get(stem, ())}

    def cover_items(self, tokens: Sequence[str], items: Iterable[str]) -> bool:
        """Do ``items`` (together) hold every telling word of ``tokens``?"""
        asked = set(self._telling(tokens))
        held = {s for item in items for s in self._telling(words(item))}
        return bool(asked) and asked <= held

    def concept(self, tokens: Sequence[str]) -> list[str]:
        """The telling words of ``tokens``, as typed: what a check asks about (words only: an
        amount such as "900mg" is not a side effect)."""
        return [w for w in tokens if w.isalpha() and self._telling([w])]

    def phrase(self, tokens: Sequence[str]) -> str:
        """What a check asks about, as said: from the first telling word, with the telling
        words and modifiers that follow it ("memory problems", "hair loss"), capitalised."""
        said: list[str] = []
        for word in tokens:
            telling = word.isalpha() and bool(self._telling([word]))
            if telling or (said and word.isalpha() and not self._modifiers.stems([word])):
                said.append(word)
            elif said:
                break
        return " ".join(said).capitalize()


SHARED_PREFIX = 4
"""Two stems meet when they share this many first letters..."""
MAX_ENDING = 3
"""...and differ only in an ending this short: the stemmer leaves "sweaty" as "sweati" and
"sweating" as "sweat", "nauseous" and "nausea" apart; "heart" and "heartburn" stay apart."""


def close(a: str, b: str) -> bool:
    """Are two stems the same word inflected differently ("sweati" and "sweat")?"""
    if a == b or min(len(a), len(b)) < SHARED_PREFIX + 1 or not (a.isalpha() and b.isalpha()):
        return a == b
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared >= SHARED_PREFIX and max(len(a), len(b)) - shared <= MAX_ENDING
