"""Drug names split by voice-to-text: "gaba pen tin" is "gabapentin", "a mid trip t line"
"amitriptyline".

Runs of two to four short words are joined and read as a drug name when the result is one,
or a typo of exactly one of our own drugs (the same mending as for single words: the
reference list is long enough for a typo of some name to be a run of ordinary words).
A run is bounded, so the work stays linear in the length of the message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bot.engine.triage.mending import MAX_CACHED, nearest
from bot.engine.triage.tokens import Token

LONGEST_PART = 5
"""Letters a piece of a split name has at most ("pen", "trip", "line")."""
MOST_PARTS = 4
SHORTEST_JOINED = 7
"""Shorter joins are too often two real words ("any one")."""


class Joiner:
    def __init__(
        self, ours: Iterable[str], others: frozenset[str], same: Mapping[str, str]
    ) -> None:
        mended = frozenset(n for n in ours if len(n) >= SHORTEST_JOINED and n.isalpha())
        self._ours = mended
        self._others = others  # the triage's own set, shared: tens of thousands of names
        self._by_letter: dict[tuple[str, int], list[str]] = {}
        for name in sorted(mended):
            self._by_letter.setdefault((name[0], len(name)), []).append(name)
        self._same = dict(same)
        self._read: dict[str, str | None] = {}

    def _is_name(self, text: str) -> bool:
        if text in self._ours:
            return True
        return len(text) >= SHORTEST_JOINED and text.isalpha() and text in self._others

    def _name(self, text: str) -> str | None:
        if self._is_name(text):
            return text
        if text in self._read:
            return self._read[text]
        found = nearest(text, self._by_letter, self._same)
        name = found if self._is_name(found) else None
        if len(self._read) < MAX_CACHED:
            self._read[text] = name
        return name

    def join(self, tokens: Sequence[Token]) -> list[Token]:
        """``tokens`` with each split drug name made one token (the longest run first)."""
        joined: list[Token] = []
        i = 0
        while i < len(tokens):
            found = self._at(tokens, i)
            if found is None:
                joined.append(tokens[i])
                i += 1
                continue
            name, parts = found
            joined.append(Token(name, tokens[i].sentence))
            i += parts
        return joined

    def _at(self, tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
        run: list[str] = []
        for token in tokens[i : i + MOST_PARTS]:
            text = token.text
            short = len(text) <= LONGEST_PART and text.isalpha()
            if not short or token.sentence != tokens[i].sentence or self._is_name(text):
                break
            run.append(text)
        for parts in range(len(run), 1, -1):
            text = "".join(run[:parts])
            if len(text) >= SHORTEST_JOINED:
                name = self._name(text)
                if name is not None:
                    return name, parts
        return None

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_read"] = {}  # a cache, not state
        return state
