"""The phrase language of ``safety.yaml``: how a signal is written, parsed once.

A phrase is words separated by spaces, each matching one word of a message:

- ``took|swallowed`` either word; ``overdos*`` any word that begins so; ``"for good"|forever``
  either ``for good`` or ``forever`` (quotes hold the words of one alternative: ``for
  good|forever`` would be "for good" or "for forever");
- ``(really|so)`` an optional word, ``(this time)`` optional words;
- ``<medicine>`` (alone, or among alternatives: ``<medicine>|bag``) a word of a class listed
  under ``classes:``; built in are ``<drug>`` (a drug
  name of the knowledge or the reference list), ``<ours>`` (the knowledge's own drugs),
  ``<other_drug>`` (the reference list's, not ours), ``<num>`` (a number, ``<num:140>`` at
  least 140), ``<count>`` (a number that is not followed by a unit, ``<count:5>``) and
  ``<plain>`` (a word that is none of these and in no class: "overdosed on <plain>") and
  ``<over_max>`` (a number of milligrams above ``maximum_doses`` of a drug in its sentence);
- ``...`` up to four other words in between (``...2`` up to two);
- ``/[a-z]+ing/`` a word that matches the regular expression (whole word; nested
  quantifiers such as ``(a+)+`` are refused, since they can take exponential time).

Matching is word by word with bounded gaps, so it takes time linear in the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BUILT_IN_CLASSES = frozenset({"drug", "ours", "other_drug", "num", "count", "plain", "over_max"})
MAX_GAP = 6
DEFAULT_GAP = 4
_LITERAL = re.compile(r"^[a-z0-9]+\*?$")
_CLASS = re.compile(r"^<([a-z_]+)(?::(\d+))?>$")
_QUOTED_PARTS = re.compile(r'(?:"[^"]*"|[^\s"])+')
"""The parts of a phrase: words, with quoted words kept together ("for good"|forever)."""
_ALTERNATIVES = re.compile(r'"[^"]*"|[^|"]+')


@dataclass(frozen=True, slots=True)
class Element:
    """One position of a phrase (``gap`` > 0: up to that many words of anything)."""

    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    minimum: int | None = None
    regex: str | None = None
    optional: bool = False
    gap: int = 0


MAX_VARIANTS = 16


def parse_phrase(phrase: str) -> list[tuple[Element, ...]]:
    """The ways ``phrase`` can be read (one per choice of its optional groups of words);
    :class:`ValueError` says what is wrong with it."""
    if phrase.count('"') % 2:
        raise ValueError('a quote without its end: write "for good"|forever')
    parts = _QUOTED_PARTS.findall(phrase)
    if not parts:
        raise ValueError("empty phrase")
    variants: list[list[Element]] = [[]]
    index = 0
    while index < len(parts):
        part = parts[index]
        if part.startswith("(") and not part.endswith(")"):
            end = next((j for j in range(index, len(parts)) if parts[j].endswith(")")), -1)
            if end < 0:
                raise ValueError(f"{part!r}: '(' without ')'")
            group = [_parse_part(p) for p in " ".join(parts[index : end + 1])[1:-1].split()]
            variants = [v + extra for v in variants for extra in ([], group)]
            index = end + 1
        elif '"' in part:
            variants = [[*v, *words] for v in variants for words in _alternative_runs(part)]
            index += 1
        else:
            element = _parse_part(part)
            variants = [[*v, element] for v in variants]
            index += 1
        if len(variants) > MAX_VARIANTS:
            raise ValueError(f"more than {MAX_VARIANTS} ways to read it; split the phrase")
    readings = []
    for variant in variants:
        elements = tuple(variant)
        if not elements or all(e.optional or e.gap for e in elements):
            continue  # every word left out: not a reading
        if elements[0].gap or elements[-1].gap:
            raise ValueError("a phrase cannot begin or end with '...'")
        readings.append(elements)
    if not readings:
        raise ValueError("every word of the phrase is optional; make one required")
    return readings


def _alternative_runs(part: str) -> list[list[Element]]:
    """``"for good"|forever``: each quoted alternative as its run of words, the others as
    one element."""
    alternatives = _ALTERNATIVES.findall(part)
    if "|".join(alternatives) != part:
        raise ValueError(f'{part!r}: write quoted words as one alternative: "a b"|c')
    quoted = [a[1:-1].split() for a in alternatives if a.startswith('"')]
    if any(len(words) < 2 or '"' in " ".join(words) for words in quoted):
        raise ValueError(f'{part!r}: quotes hold two words or more: "for good"|forever')
    single = [a for a in alternatives if not a.startswith('"')]
    runs = [[_parse_part(w) for w in words] for words in quoted]
    return [[_parse_part("|".join(single))], *runs] if single else runs


def _parse_part(part: str) -> Element:
    if part.startswith("..."):
        size = part[3:]
        gap = int(size) if size.isdigit() else DEFAULT_GAP if not size else -1
        if not 1 <= gap <= MAX_GAP:
            raise ValueError(f"{part!r}: write '...' or '...N' with N from 1 to {MAX_GAP}")
        return Element(gap=gap)
    if part.startswith("(") and part.endswith(")"):
        inner = _parse_part(part[1:-1])
        if inner.optional or inner.gap:
            raise ValueError(f"{part!r}: an optional word holds one plain word or class")
        return Element(inner.words, inner.prefixes, inner.classes, inner.minimum, inner.regex, True)
    if len(part) > 2 and part.startswith("/") and part.endswith("/"):
        pattern = part[1:-1]
        problem = runaway(pattern)
        if problem:
            raise ValueError(f"{part!r}: {problem}")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{part!r}: bad regular expression: {exc}") from None
        return Element(regex=pattern)
    words: set[str] = set()
    prefixes: list[str] = []
    classes: list[str] = []
    minimum: int | None = None
    alternatives = part.split("|")
    if len(set(alternatives)) < len(alternatives):
        raise ValueError(
            f"{part!r}: a word is repeated; '|' joins single words ('a|b c' is 'a c' or 'b c', "
            "not 'a' or 'b c'): quote the words of one alternative (\"b c\"|a)"
        )
    for alternative in alternatives:
        found = _CLASS.match(alternative)
        if found:
            classes.append(found.group(1))
            if found.group(2) is not None:
                if found.group(1) not in ("num", "count"):
                    raise ValueError(f"{part!r}: only <num:N> and <count:N> take a minimum")
                minimum = int(found.group(2))
            continue
        if not _LITERAL.match(alternative):
            raise ValueError(
                f"{part!r}: {alternative!r} is not a word; use lowercase letters and digits "
                "(a|b for either word, word* for a beginning, <class> for a class)"
            )
        if alternative.endswith("*"):
            if len(alternative) < 4:
                raise ValueError(f"{part!r}: a beginning needs at least 3 letters")
            prefixes.append(alternative[:-1])
        else:
            words.add(alternative)
    return Element(frozenset(words), tuple(prefixes), tuple(classes), minimum)


def runaway(pattern: str) -> str | None:
    """Why ``pattern`` could run away (a repeated group that itself repeats), or None."""
    stack: list[bool] = [False]  # per open group: does it hold a repeat?
    escaped = False
    in_set = False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
        elif char == "(":
            stack.append(False)
        elif char == ")" and len(stack) > 1:
            inner = stack.pop()
            if inner and _repeats(pattern, index + 1):
                return "nested quantifiers (a repeated group holding a repeat) can run away"
            stack[-1] = stack[-1] or inner or _repeats(pattern, index + 1)
        elif char in "*+{":
            stack[-1] = True
    return None


def _repeats(pattern: str, index: int) -> bool:
    return index < len(pattern) and pattern[index] in "*+{"
