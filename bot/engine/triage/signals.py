"""Finding signal spans: which words of a message say "ingestion", "child", "past", ...

Every phrase of every category is indexed by what its first word can be, so a message is read
once, position by position, trying only the phrases that can start there. Gaps are bounded and
phrases never cross a sentence, so the work is linear in the length of the message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.engine.triage.tokens import Token
from bot.knowledge.phrases import Element, parse_phrase

OUR_DRUG = "ours"
STREET = "street"
"""The class of street names for drugs in ``safety.yaml``: never a word of our own drugs'."""


@dataclass(frozen=True, slots=True)
class Span:
    category: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True, slots=True)
class Word:
    """A token with what the matcher needs to know about it, worked out once."""

    text: str
    sentence: int
    value: float | None
    classes: frozenset[str]
    counted: bool
    """A number that counts things, not a strength or a time ("12", not "300 mg")."""


@dataclass(frozen=True, slots=True)
class _Phrase:
    category: str
    elements: tuple[Element, ...]
    needs: tuple[frozenset[str], ...]
    """For each required word after the first, the words and classes that fit it: a phrase
    one of whose needs is nowhere in a message is not tried there."""


def _needs(elements: tuple[Element, ...]) -> tuple[frozenset[str], ...]:
    return tuple(
        e.words | frozenset(e.classes)
        for e in elements[1:]
        if not (e.optional or e.gap or e.prefixes or e.regex)
    )


class SignalFinder:
    def __init__(
        self,
        signals: Mapping[str, Sequence[str]],
        classes: Mapping[str, frozenset[str]],
        units: frozenset[str],
    ) -> None:
        self.units = units
        self._classes_of: dict[str, frozenset[str]] = {}
        for name, members in classes.items():
            for member in members:
                self._classes_of[member] = self._classes_of.get(member, frozenset()) | {name}
        self._by_word: dict[str, list[_Phrase]] = {}
        self._by_class: dict[str, list[_Phrase]] = {}
        self._anywhere: list[_Phrase] = []
        self._regex: dict[str, re.Pattern[str]] = {}
        for category, phrases in signals.items():
            for text in phrases:
                for elements in parse_phrase(text):
                    self._index(_Phrase(category, elements, _needs(elements)))

    def _index(self, phrase: _Phrase) -> None:
        for element in phrase.elements:
            if element.regex:
                self._regex[element.regex] = re.compile(element.regex)
        first = phrase.elements[0]
        if first.optional or first.prefixes or first.regex:
            self._anywhere.append(phrase)
        for name in first.classes:
            self._by_class.setdefault(name, []).append(phrase)
        for word in first.words:
            self._by_word.setdefault(word, []).append(phrase)

    def words(self, tokens: Sequence[Token], drug_classes: Sequence[frozenset[str]]) -> list[Word]:
        words = []
        for index, token in enumerate(tokens):
            after = tokens[index + 1].text if index + 1 < len(tokens) else ""
            classes = set(drug_classes[index])
            if OUR_DRUG in classes:  # "folic acid" is ours: no street "acid"
                classes.update(c for c in self._classes_of.get(token.text, ()) if c != STREET)
            else:
                classes.update(self._classes_of.get(token.text, ()))
            if token.value is not None:
                classes.add("num")
                if after not in self.units:
                    classes.add("count")
            elif not classes:
                classes.add("plain")
            counted = "count" in classes
            words.append(Word(token.text, token.sentence, token.value, frozenset(classes), counted))
        return words

    def find(self, words: Sequence[Word]) -> list[Span]:
        spans: list[Span] = []
        present = {w.text for w in words}.union(*(w.classes for w in words))
        viable: dict[int, bool] = {}
        # Phrases that can start anywhere are tried at every word: only those whose needs
        # the message meets.
        anywhere = [p for p in self._anywhere if all(not n.isdisjoint(present) for n in p.needs)]
        for start, word in enumerate(words):
            sentence = word.sentence
            # The first word of these phrases is known to fit: match the rest from the next.
            fitting = list(self._by_word.get(word.text, ()))
            for name in word.classes:
                fitting += self._by_class.get(name, ())
            for phrase in fitting:
                key = id(phrase)
                ok = viable.get(key)
                if ok is None:
                    ok = viable[key] = all(not n.isdisjoint(present) for n in phrase.needs)
                if not ok:
                    continue
                first = phrase.elements[0]
                if first.minimum is not None and not self._fits(first, word):
                    continue
                end = self._match(phrase.elements, 1, words, start + 1, sentence)
                if end > start:
                    spans.append(Span(phrase.category, start, end, sentence))
            for phrase in anywhere:
                end = self._match(phrase.elements, 0, words, start, sentence)
                if end > start:
                    spans.append(Span(phrase.category, start, end, sentence))
        return spans

    def _match(
        self, elements: tuple[Element, ...], at: int, words: Sequence[Word], i: int, sentence: int
    ) -> int:
        """The end of the shortest match of ``elements[at:]`` from word ``i``, or -1."""
        count = len(words)
        while at < len(elements):
            element = elements[at]
            if element.gap:
                for j in range(i, min(i + element.gap, count) + 1):
                    if j < count and words[j].sentence != sentence:
                        break
                    end = self._match(elements, at + 1, words, j, sentence)
                    if end >= 0:
                        return end
                return -1
            word = words[i] if i < count else None
            fits = word is not None and word.sentence == sentence and self._fits(element, word)
            if element.optional:
                if fits:
                    end = self._match(elements, at + 1, words, i + 1, sentence)
                    if end >= 0:
                        return end
                at += 1  # left out
                continue
            if not fits:
                return -1
            at += 1
            i += 1
        return i

    def _fits(self, element: Element, word: Word) -> bool:
        text = word.text
        if text in element.words:
            return True
        if element.classes:
            for name in element.classes:
                if name in word.classes:
                    minimum = element.minimum
                    if minimum is None or name not in ("num", "count"):
                        return True
                    if word.value is not None and word.value >= minimum:
                        return True
        if element.prefixes and any(text.startswith(p) for p in element.prefixes):
            return True
        if element.regex:
            return self._regex[element.regex].fullmatch(text) is not None
        return False
