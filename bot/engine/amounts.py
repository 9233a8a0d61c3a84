"""Amounts in a question: a dose mentioned as context, or a dose being judged.

"on 300mg, what side effects?" mentions a dose and asks something else; "is 900mg too much?"
and "is 1800mg a day a lot?" ask whether a dose is right, which only a doctor or pharmacist
can answer: a strength with a judgement of amount (lexicon ``amount_judgements``) is a dosing
question, whatever else the message holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.phrases import PhraseIndex
from bot.engine.reading import Analysis
from bot.engine.triage import Triage
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.text import words

DIGITS = "0123456789.,"
DOSE_WORDS = frozenset({"dose", "doses", "dosage"})
WHEN_WORDS = frozenset({"after", "before", "since", "from"})
"""A dose told as a time ("sick after my gaba dose") is context, not a question about it."""
BARE_AMOUNT = 3
"""A number this long with no unit ("it went up to 1200") is an amount; "take 2" a count."""


class Amounts:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        lists = knowledge.words
        self.units = frozenset(w for p in lists.amounts for w in words(p))
        self.judgements = PhraseIndex((p, True) for p in lists.amount_judgements)
        self.wh = frozenset(w for p in lists.wh for w in words(p))
        self.frequencies = PhraseIndex((p, True) for p in lists.frequencies)

    def has_strength(self, tokens: Sequence[str]) -> bool:
        """Does a number with a unit ("900mg", "900 mg") state an amount?"""
        for i, word in enumerate(tokens):
            if not word[:1].isdigit():
                continue
            unit = word.lstrip(DIGITS) or (tokens[i + 1] if i + 1 < len(tokens) else "")
            if unit in self.units:
                return True
        return False

    def judged(self, a: Analysis) -> bool:
        """Does the question judge a stated strength ("is 900mg of it too much?")?"""
        return self.has_strength(a.spelled) and bool(self.judgements.find(a.spelled))

    def asks_amount(self, a: Analysis) -> bool:
        """Does the question ask for a strength ("what mg do people end up on", "how many mg
        is normal")? A unit right after a question word (one word may stand between)."""
        tokens = a.spelled
        return any(
            word in self.units and any(w in self.wh for w in tokens[max(0, i - 2) : i])
            for i, word in enumerate(tokens)
        )

    def asks_dose(self, a: Analysis, safety: Triage) -> bool:
        """Still a dosing question with the amounts and how often mentioned as context left
        out ("on 300mg three times a day, what side effects?") and spelling mended ("how dose
        it work")?"""
        tokens = a.spelled
        often = {k for m in self.frequencies.find(tokens) for k in range(m.start, m.end)}
        kept = []
        for i, word in enumerate(tokens):
            if word in DOSE_WORDS and WHEN_WORDS.intersection(tokens[max(0, i - 4) : i]):
                continue  # "after my morning dose"
            instead = tokens[max(0, i - 2) : i] == ["instead", "of"]  # a change asked for
            if i in often or (word.isdigit() and len(word) >= BARE_AMOUNT and not instead):
                continue  # "went up to 1200"
            unit = word.lstrip("0123456789.")
            amount = word in self.units or (unit != word and (unit in self.units or not unit))
            followed = i + 1 < len(tokens) and tokens[i + 1] in self.units
            if amount and (unit or followed):
                continue
            kept.append(word)
        return safety.concern(" ".join(kept)) == "dosing"
