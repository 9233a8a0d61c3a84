"""Safety first: emergencies and dosing questions are recognised before any matching."""

from __future__ import annotations

import re
from typing import Literal

from bot.schema import SafetyFile

Concern = Literal["emergency", "dosing"]

MAX_CHECKED = 20_000
"""Characters of a question the patterns look at; more is not a question, and regexes on
megabytes of text would stall the bot."""


class SafetyCheck:
    def __init__(self, safety: SafetyFile) -> None:
        self._emergency = [
            re.compile(p) for patterns in safety.emergency.values() for p in patterns
        ]
        self._dosing = [re.compile(p) for p in safety.dosing]

    def concern(self, question: str) -> Concern | None:
        text = " ".join(question[:MAX_CHECKED].casefold().replace("’", "'").split())
        if any(p.search(text) for p in self._emergency):
            return "emergency"
        if any(p.search(text) for p in self._dosing):
            return "dosing"
        return None
