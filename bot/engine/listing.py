"""Which items of which drugs' list sections name a lay term: the look-ups deciding needs
("does it cause X?", "which medicines cause X?"), built once from the knowledge."""

from __future__ import annotations

from collections.abc import Sequence

from bot.knowledge.lexicon_schema import Term
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.schema import ListSection
from bot.knowledge.text import words


class ListedItems:
    """Items by topic, and which drugs list them: "which medicines cause X?" without reading
    every drug. Each distinct item is matched once per term, and the answer is kept."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self._drugs = knowledge.drugs
        self._terms: dict[str, Term] = {term.id: term for term in knowledge.terms.terms}
        self._order = list(knowledge.drugs)
        self._where: dict[str, dict[str, list[int]]] = {}
        """topic -> item -> where it is listed: drug rank and item position, flat pairs (tens
        of thousands of places: no tuple each)."""
        for rank, drug in enumerate(knowledge.drugs.values()):
            for topic, section in drug.sections.items():
                if isinstance(section, ListSection):
                    items = self._where.setdefault(topic, {})
                    for position, item in enumerate(section.items):
                        items.setdefault(item, []).extend((rank, position))
        self._found: dict[tuple[str, tuple[str, ...]], list[tuple[str, str]]] = {}

    def covers(self, drug_ids: Sequence[str]) -> bool:
        """True when ``drug_ids`` are all the drugs, in the knowledge's order."""
        return len(drug_ids) == len(self._order) and list(drug_ids) == self._order

    def of_drug(self, term_id: str, topic: str, drug_id: str) -> list[str]:
        """The items of one drug's ``topic`` section that name the term."""
        section = self._drugs[drug_id].sections.get(topic)
        if not isinstance(section, ListSection):
            return []
        return matching_items(section.items, self._terms[term_id].listed)

    def listing(self, term_id: str, topic: str, drug_ids: Sequence[str]) -> list[tuple[str, str]]:
        """(drug id, item) for the items of ``drug_ids`` under ``topic`` that name the term,
        in the order of the drugs and of their items."""
        listed = self._terms[term_id].listed
        if not self.covers(drug_ids):
            return [(d, item) for d in drug_ids for item in self.of_drug(term_id, topic, d)]
        key = (topic, tuple(listed))
        found = self._found.get(key)
        if found is None:
            wanted = [tuple(words(w)) for w in listed]
            places = sorted(
                (rank, position, item)
                for item, where in self._where.get(topic, {}).items()
                if any(contains(words(item), phrase) for phrase in wanted)
                for rank, position in zip(where[::2], where[1::2], strict=True)
            )
            found = [(self._order[rank], item) for rank, _, item in places]
            self._found[key] = found
        return found


def matching_items(items: Sequence[str], listed: Sequence[str]) -> list[str]:
    """The items that contain one of ``listed`` as whole words."""
    wanted = [tuple(words(w)) for w in listed]
    return [item for item in items if any(contains(words(item), p) for p in wanted)]


def contains(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(tokens[i : i + size]) == phrase for i in range(len(tokens) - size + 1))
