"""Words that may name a drug we do not know: neither English (the reference word list), nor
the lexicon's, nor our pages' words, nor like one of our names. "does co-codamol make you
constipated?" or "side effects of co-codamol?" ask about a medicine we have no page for;
any other unknown word is just a word."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.engine.drugs import DrugFinder

MIN_FOREIGN = 5
"""Shorter unknown words are too often slang or typos ("ur", "tho") to be taken for a name."""
JOINING_WORDS = 2
"""At most this many joining words between an unknown name and ours ("and with")."""
SUBJECT_WORDS = 2
"""Words after a yes/no opener read as what the question is about ("does co codamol ...")."""


class UnknownNames:
    def __init__(
        self,
        finder: DrugFinder,
        ordinary: frozenset[str],
        english: frozenset[str],
        openers: Mapping[str, bool],
        not_an_item: frozenset[str],
        joining: frozenset[str],
    ) -> None:
        """``openers``: words that open a question, True for a yes/no one ("does");
        ``joining``: words that join two medicines ("and", "with", "plus")."""
        self.joining = joining
        self.finder = finder
        self.ordinary = ordinary
        self.english = english
        self.openers = openers
        self.not_an_item = not_an_item

    def strange_subject(self, spelled: list[str], leftover: list[str]) -> list[str]:
        """The words right after a yes/no opener ("does co-codamol ...") that neither English
        nor the lexicon knows: what the question is about, and not ours. "does it ..." and
        any word elsewhere in the message are left alone."""
        opener = next((i for i, w in enumerate(spelled) if w in self.openers), None)
        if not self.english or opener is None or not self.openers[spelled[opener]]:
            return []
        subject = spelled[opener + 1 : opener + 1 + SUBJECT_WORDS]
        if not subject or subject[0] in self.not_an_item:
            return []
        unknown = [w for w in subject if w.isalpha() and w in leftover]
        return [w for w in unknown if w not in self.ordinary and w not in self.english]

    def _unknown(self, word: str) -> bool:
        if len(word) < MIN_FOREIGN or not word.isalpha():
            return False
        known = word in self.ordinary or word in self.english or word in self.finder.own_words
        return not known and not self.finder.resembles_ours(word)

    @staticmethod
    def _as_written(question: str, word: str) -> str:
        written = re.search(rf"[\w'-]*{re.escape(word)}[\w'-]*", question.casefold())
        return written.group(0).strip("'-") if written else word

    def foreign(self, question: str, leftover: list[str]) -> list[str]:
        """Leftover words neither English nor the lexicon's nor our pages' ("co-codamol"),
        as written (with their hyphens): with no drug of ours named, what is asked about."""
        if not self.english:
            return []
        found = [self._as_written(question, w) for w in leftover if self._unknown(w)]
        return list(dict.fromkeys(found))

    def beside_ours(
        self, question: str, tokens: list[str], named_at: list[int], leftover: list[str]
    ) -> list[str]:
        """Unknown words joined to one of our drug names ("co-codamol and gabapentin",
        "gaba with co-codamol"): only ``joining`` words between them."""
        if not self.english or not named_at:
            return []
        unknown = {w for w in leftover if self._unknown(w)}
        found = []
        for i, word in enumerate(tokens):
            if word not in unknown:
                continue
            for j in named_at:
                between = tokens[min(i, j) + 1 : max(i, j)]
                if len(between) <= JOINING_WORDS and all(w in self.joining for w in between):
                    found.append(self._as_written(question, word))
                    break
        return list(dict.fromkeys(found))
