"""Text normalisation shared by the loader and the matcher."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def words(text: str) -> list[str]:
    """Casefolded words without accents or punctuation; hyphens split, ``'s`` dropped."""
    plain = text.casefold().replace("’", "'")
    if not plain.isascii():  # plain ASCII has no accents to take off: the common, fast case
        folded = unicodedata.normalize("NFKD", plain)
        plain = "".join(c for c in folded if not unicodedata.combining(c))
    return [w[:-2] if w.endswith("'s") else w for w in _WORD.findall(plain)]


def normalise(text: str) -> str:
    """``"Gabapentin's side-effects?"`` -> ``"gabapentin side effects"``."""
    return " ".join(words(text))
