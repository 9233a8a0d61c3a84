"""Invented drug names for the benchmark: pronounceable, unique, and some deliberately close.

Every name is checked against the reference list of real drug names, so an invented drug never
takes a real one's name; but some are one or two letters away from a real name, and some from
another invented one, so the fuzzy matcher has real work to do.
"""

from __future__ import annotations

import random
from collections.abc import Iterable


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ONSETS = _split("b c d f g h l m n p r s t v z br cl dr fl gr pr tr st qu x")
VOWELS = _split("a e i o u a e i o")
STEMS = _split(
    "pentin triptyline oxetine azepam olol pril sartan statin prazole tidine mycin cillin "
    "azole dronate gliptin lukast setron floxacin afil caine dipine zolam tadine tinib parin "
    "profen fenac barbital semide thiazide zosin lamide tropine morphone codone vudine navir"
)
BRAND_ENDINGS = _split("ex ix ora on yn ax ium el ane ova")
SIBLING_SHARE = 0.25
"""Share of names made by changing one or two letters of an earlier invented name."""
REAL_LOOKALIKE_SHARE = 0.1
"""Share of names made by changing one or two letters of a real drug's name."""


class NameMaker:
    """Deterministic for a seed; never returns a name it (or the reference list) has."""

    def __init__(self, rng: random.Random, taken: Iterable[str], real: Iterable[str]) -> None:
        self.rng = rng
        self.taken = {name.casefold() for name in taken}
        self.made: list[str] = []
        self.real = sorted(
            name for name in real if name.isalpha() and name.isascii() and 7 <= len(name) <= 12
        )

    def generic(self) -> str:
        roll = self.rng.random()
        for _ in range(100):
            if roll < SIBLING_SHARE and self.made:
                candidate = self.mutate(self.rng.choice(self.made[-50:]))
            elif roll < SIBLING_SHARE + REAL_LOOKALIKE_SHARE and self.real:
                candidate = self.mutate(self.rng.choice(self.real))
            else:
                candidate = self.invent()
            if self._claim(candidate):
                self.made.append(candidate)
                return candidate.capitalize()
            roll = 1.0  # fall back to a fresh invention
        raise RuntimeError("could not invent a new drug name")

    def brand(self) -> str:
        for _ in range(100):
            syllables = self.rng.randint(1, 2)
            stem = "".join(self._syllable() for _ in range(syllables))
            candidate = stem + self.rng.choice(BRAND_ENDINGS)
            if len(candidate) >= 5 and self._claim(candidate):
                return candidate.capitalize()
        raise RuntimeError("could not invent a new brand name")

    def invent(self) -> str:
        syllables = self.rng.choice((1, 2, 2, 3))
        return "".join(self._syllable() for _ in range(syllables)) + self.rng.choice(STEMS)

    def mutate(self, name: str) -> str:
        """Change one letter, or two, away from the first: ``zorapentin`` -> ``zoripentin``."""
        letters = list(name.casefold())
        for _ in range(self.rng.choice((1, 1, 2))):
            at = self.rng.randrange(1, len(letters))
            vowel = letters[at] in "aeiou"
            pool = "aeiou" if vowel else "bcdfglmnprstvz"
            letters[at] = self.rng.choice([c for c in pool if c != letters[at]])
        return "".join(letters)

    def _syllable(self) -> str:
        return self.rng.choice(ONSETS) + self.rng.choice(VOWELS)

    def _claim(self, candidate: str) -> bool:
        key = candidate.casefold()
        if key in self.taken:
            return False
        self.taken.add(key)
        return True


def typo(rng: random.Random, word: str) -> str:
    """One slip of the keyboard: a letter dropped, doubled, swapped with the next, or wrong."""
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:at] + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at] + word[at:]
    if kind == 2:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    replacement = rng.choice([c for c in "aeioulnrst" if c != word[at]])
    return word[:at] + replacement + word[at + 1 :]
