"""Brand names a page gives for a drug, as maintainers write them: on the Generic Name line
("Baclofen (brand name: Lioresal)", "Methotrexate (brand names include Trexall tablets and
the Otrexup and Rasuvo injection pens)") or in the intro, right after the drug's name
("**Ibuprofen** (sold under brand names such as Advil, Motrin and Nurofen)")."""

from __future__ import annotations

import re

_LISTED = re.compile(r"\(\s*(?:brand|trade)(?:\s+names?|s)?\s*:\s*([^)]*)\)", re.IGNORECASE)
"""The listing form: "(brand name: Lioresal)", "(brands: A, B)"."""
_SAYS_BRANDS = re.compile(r"\b(?:brand|brands|trade|sold|marketed)\b", re.IGNORECASE)
"""A bracket that speaks of brands in a sentence: its capitalised words are the brands."""
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]+(?:-[A-Za-z]+)*(?:\s+(?:XR|ER|SR|XL|CR|LA|CD|MR))?\b")
_RELEASE = re.compile(r"\s+(?:XR|ER|SR|XL|CR|LA|CD|MR)$", re.IGNORECASE)
"""A release form after a brand ("Effexor XR"): people say the brand alone too."""
_NOT_BRANDS = frozenset({"UK", "US", "USA", "EU", "NHS", "FDA"})
_BRACKET = re.compile(r"\(([^)]*)\)")


def without_brands(generic_line: str) -> str:
    """The generic name with a bracket of brands left out."""
    kept = _BRACKET.sub(lambda m: "" if _speaks_of_brands(m.group(0)) else m.group(0), generic_line)
    return " ".join(kept.split()) or generic_line


def page_brands(generic_line: str, intro: str | None = None, name: str = "") -> list[str]:
    """The brands a drug's Generic Name line, and the intro's bracket after its name, give;
    each release-form brand also bare."""
    brackets = [m.group(0) for m in _BRACKET.finditer(generic_line)]
    if intro and name:
        after = re.compile(rf"\b{re.escape(name)}\**\s*(\([^)]*\))", re.IGNORECASE)
        brackets += [m.group(1) for m in after.finditer(intro)]
    found: list[str] = []
    for bracket in brackets:
        for brand in _brands_in(bracket):
            bare = _RELEASE.sub("", brand)
            found.extend(b for b in (brand, bare) if b and b not in found)
    return [b for b in found if b.casefold() != name.casefold()]


def _speaks_of_brands(bracket: str) -> bool:
    return bool(_LISTED.search(bracket) or _SAYS_BRANDS.search(bracket))


def _brands_in(bracket: str) -> list[str]:
    listed = _LISTED.search(bracket)
    if listed:
        parts = re.split(r",|/|;|\band\b|\bor\b", listed.group(1))
        return [p.strip(" .") for p in parts if p.strip(" .")]
    if not _SAYS_BRANDS.search(bracket):
        return []
    return [w for w in _CAPITALISED.findall(bracket) if w not in _NOT_BRANDS]
