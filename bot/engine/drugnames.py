"""Drug names for commands that name one drug (``/drug``, ``/sideeffects``): one index per
knowledge behind both the command's look-up and its autocomplete.

Not the reader's drug finder (:mod:`bot.engine.drugs` finds names inside free text); this
matches what a person types into a drug field, letter by letter.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.knowledge.loading import KnowledgeBase

FUZZY_POOL = 100
FUZZY_CUTOFF = 70


class DrugNames:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self._names = {
            drug_id: [
                n.casefold()
                for n in (drug_id, drug.name, drug.generic_name, *drug.brands, *drug.misspellings)
            ]
            for drug_id, drug in knowledge.drugs.items()
        }
        self._flat = {(d, i): n for d, ns in self._names.items() for i, n in enumerate(ns)}

    def find(self, typed: str) -> str | None:
        """The id of the drug named exactly (id, name, generic name or brand), else None."""
        wanted = typed.casefold().strip()
        for drug_id, drug in self.knowledge.drugs.items():
            exact = (drug_id, drug.name, drug.generic_name, *drug.brands)
            if wanted in (n.casefold() for n in exact):
                return drug_id
        return None

    def matches(self, typed: str) -> list[str]:
        """Drugs whose name, generic name or brand contains what is typed, by name; if none
        does, the closest names (typos: "gabapentn")."""
        needle = typed.casefold().strip()
        found = [d for d, ns in self._names.items() if not needle or any(needle in n for n in ns)]
        if found:
            return sorted(found, key=lambda d: self.knowledge.drugs[d].name.casefold())
        matches = process.extract(
            needle, self._flat, scorer=fuzz.WRatio, limit=FUZZY_POOL, score_cutoff=FUZZY_CUTOFF
        )
        return list(dict.fromkeys(key[0] for _, _, key in matches))


_INDEXED: list[DrugNames] = []
"""The index of the knowledge in use (a reload brings a new knowledge object)."""


def drug_names(knowledge: KnowledgeBase) -> DrugNames:
    """The index for ``knowledge``, built once (again only after a reload)."""
    if not _INDEXED or _INDEXED[0].knowledge is not knowledge:
        _INDEXED[:] = [DrugNames(knowledge)]
    return _INDEXED[0]
