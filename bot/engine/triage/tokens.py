"""A message as the triage reads it: words in order, each with its sentence and its number.

"Can't" is "cant", "300mg" is "300" "mg", "twenty" is the number 20, "tooo" is "too", and
". ! ? ;" and line breaks end a sentence. What each word means is the vocabulary's business.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.knowledge.text import plain

MAX_CHECKED = 20_000
"""Characters of a question the triage reads; more is not a question, and reading megabytes
would stall the bot."""

BREAK_DISTANCE = 10
"""Sentences a break word ("anyway", "unrelated") counts for: rules that read neighbouring
sentences together never reach across it."""
_PIECE = re.compile(r"[a-z]+|\d+(?:[.,]\d+)?|[.!?;\n]")
_APOSTROPHES = re.compile(r"(?<=[a-z])'(?=[a-z])")
_STRETCHED = re.compile(r"([a-z])\1\1+")
"""A letter typed three times or more ("tooo", "pleaseee"): read as two."""


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    sentence: int
    value: float | None = None
    """The number the word stands for ("12", "twelve", "dozen"), if any."""


def tokenise(
    message: str,
    numbers: Mapping[str, int],
    breaks: Collection[str] = (),
    symbols: Mapping[str, str] | None = None,
) -> list[Token]:
    """The words of ``message``, casefolded, with sentence numbers and number values;
    ``breaks`` are words that begin a new sentence ("anyway"); ``symbols`` are read as the
    words they stand for ("😂" is "lol")."""
    shown = unicodedata.normalize("NFKC", plain(message[:MAX_CHECKED])).casefold()
    if symbols and not shown.isascii():
        shown = "".join(f" {symbols[c]} " if c in symbols else c for c in shown)
    if not shown.isascii():
        decomposed = unicodedata.normalize("NFKD", shown)
        shown = "".join(c for c in decomposed if not unicodedata.combining(c))
    shown = _STRETCHED.sub(r"\1\1", _APOSTROPHES.sub("", shown))
    tokens: list[Token] = []
    sentence = 0
    for piece in _PIECE.findall(shown):
        if piece in ".!?;\n" or piece in breaks:
            if tokens and tokens[-1].sentence == sentence:
                # A change of subject is farther than any window of neighbouring sentences.
                sentence += BREAK_DISTANCE if piece in breaks else 1
            if piece not in breaks:
                continue
        if piece[0].isdigit():
            tokens.append(Token(piece, sentence, _number(piece)))
        else:
            found = numbers.get(piece)
            tokens.append(Token(piece, sentence, float(found) if found is not None else None))
    return tokens


def _number(piece: str) -> float | None:
    try:
        return float(piece.replace(",", "."))
    except ValueError:  # pragma: no cover - the pattern only lets numbers through
        return None
