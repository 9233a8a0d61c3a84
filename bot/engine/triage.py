"""Safety first: emergencies and dosing questions are recognised before any matching."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from bot.knowledge.schema import SafetyFile
from bot.knowledge.text import plain

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
        # As a reader sees it: "too\u200bmany" is "too many", "ｍａｎｙ" is "many", "can`t" "can't".
        shown = unicodedata.normalize("NFKC", plain(question[:MAX_CHECKED]))
        text = " ".join(shown.casefold().split())
        if any(p.search(text) for p in self._emergency):
            return "emergency"
        if any(p.search(text) for p in self._dosing):
            return "dosing"
        return None
