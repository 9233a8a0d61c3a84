"""Text normalisation shared by the loader and the matcher."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
_APOSTROPHES = "’‘`´ʼ′"
_FORMAT_BLOCKS = (
    (0x00AD, 0x00AE), (0x0600, 0x0900), (0x1800, 0x1810), (0x2000, 0x2070), (0xFEFF, 0xFF00),
    (0xFFF0, 0x10000), (0x11000, 0x11100), (0x13430, 0x13440), (0x1BCA0, 0x1BCA4),
    (0x1D173, 0x1D17B), (0xE0000, 0xE0080),
)  # fmt: skip
"""The blocks holding every format character (category Cf); tests/test_hostile.py checks."""
_PLAIN: dict[int, str | None] = {
    code: None
    for start, end in _FORMAT_BLOCKS
    for code in range(start, end)
    if unicodedata.category(chr(code)) == "Cf"
}
_PLAIN.update({0x200B: " "} | {ord(c): "'" for c in _APOSTROPHES})


def plain(text: str) -> str:
    """``text`` as a reader sees it: invisible format characters (soft hyphens, zero-width
    joiners, bidirectional marks, byte order marks) dropped, a zero-width space made a space,
    and apostrophe look-alikes made ``'``. "ami\u00adtriptyline" is "amitriptyline"."""
    return text.translate(_PLAIN)


def words(text: str) -> list[str]:
    """Casefolded words without accents or punctuation; hyphens split, ``'s`` dropped."""
    folded = text.casefold()
    if folded.isascii():  # plain ASCII has no accents to take off: the common, fast case
        folded = folded.replace("`", "'")
    else:
        decomposed = unicodedata.normalize("NFKD", plain(folded))
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return [w[:-2] if w.endswith("'s") else w for w in _WORD.findall(folded)]


def normalise(text: str) -> str:
    """``"Gabapentin's side-effects?"`` -> ``"gabapentin side effects"``."""
    return " ".join(words(text))
