"""Known phrases found in a question's words: whole phrases, longest first, no typo correction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.knowledge.text import words


class Phrases:
    """Phrases (as word tuples) with a value each; finds them in a word list, longest first."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, value in entries:
            key = tuple(words(phrase))
            if key:
                self._by_first.setdefault(key[0], []).append((key, value))
        for found in self._by_first.values():
            found.sort(key=lambda item: -len(item[0]))

    def words(self) -> set[str]:
        return {w for group in self._by_first.values() for key, _ in group for w in key}

    def find(self, tokens: Sequence[str], skip: set[int]) -> list[tuple[int, int, str]]:
        """(start, end, value) of each match among positions not in ``skip``."""
        found: list[tuple[int, int, str]] = []
        at = 0
        while at < len(tokens):
            match = next(
                (
                    (at, at + len(key), value)
                    for key, value in self._by_first.get(tokens[at], ())
                    if tuple(tokens[at : at + len(key)]) == key
                    and not skip.intersection(range(at, at + len(key)))
                ),
                None,
            )
            if match:
                found.append(match)
                at = match[1]
            else:
                at += 1
        return found
