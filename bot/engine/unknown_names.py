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
    ) -> None:
        """``openers``: words that open a question, True for a yes/no one ("does")."""
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

    def foreign(self, question: str, leftover: list[str]) -> list[str]:
        """Leftover words neither English nor the lexicon's nor our pages' ("co-codamol"),
        as written (with their hyphens): with no drug of ours named, what is asked about."""
        if not self.english:
            return []
        found = []
        for word in leftover:
            known = word in self.ordinary or word in self.english or word in self.finder.own_words
            known = known or self.finder.resembles_ours(word)
            if len(word) >= MIN_FOREIGN and word.isalpha() and not known:
                written = re.search(rf"[\w'-]*{re.escape(word)}[\w'-]*", question.casefold())
                found.append(written.group(0).strip("'-") if written else word)
        return list(dict.fromkeys(found))
