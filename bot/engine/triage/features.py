"""What the learned second opinion sees of a message: its words, neighbouring pairs of words,
the four-letter pieces of its words (so an unseen spelling still looks like the word),
how big its numbers are, and which signals the vocabulary found (kept, or taken away by a
figurative or past word). The training script and the triage both read messages through this
one function, so the model sees at run time what it was trained on."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from bot.engine.triage.signals import Span
from bot.engine.triage.tokens import Token

FEW = 5
MANY = 100
PIECE = 4
"""Letters in a piece of a word ("<took>" gives "<too", "took", "ook>")."""


def features(tokens: Sequence[Token], found: Sequence[Span], kept: Sequence[Span]) -> set[str]:
    words = [t.text for t in tokens]
    seen = {f"w:{w}" for w in words}
    for word in set(words):
        marked = f"<{word}>"
        seen.update(f"c:{marked[i : i + PIECE]}" for i in range(len(marked) - PIECE + 1))
    seen.update(f"b:{a}_{b}" for a, b in pairwise(words))
    seen.update(f"n:{_size(t.value)}" for t in tokens if t.value is not None)
    standing = set(kept)
    seen.update(f"s:{s.category}" for s in kept)
    seen.update(f"x:{s.category}" for s in found if s not in standing)
    return seen


def _size(value: float) -> str:
    if value < 2:
        return "one"
    if value < FEW:
        return "few"
    return "many" if value < MANY else "big"
