"""Symbols written between drug names: "gaba + ami" is "gaba plus ami" (lexicon ``symbols``);
elsewhere ("gaba + barfing") a symbol is only punctuation."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.engine.drugs import DrugFinder
from bot.knowledge.text import normalise


class Symbols:
    def __init__(self, symbols: Mapping[str, str], finder: DrugFinder) -> None:
        self._words = dict(symbols)
        self._finder = finder
        signs = "".join(re.escape(symbol) for symbol in self._words)
        self._pattern = re.compile(rf"([\w-]+)\s*([{signs}])\s*(?=([\w-]+))") if signs else None

    def as_words(self, question: str) -> str:
        if self._pattern is None or not any(s in question for s in self._words):
            return question
        return self._pattern.sub(self._between, question)

    def _between(self, match: re.Match[str]) -> str:
        before, symbol, after = match.group(1, 2, 3)
        if self._is_name(before) and self._is_name(after):
            return f"{before} {self._words[symbol]} "
        return match.group(0)

    def _is_name(self, word: str) -> bool:
        name = normalise(word)
        return name in self._finder.ours or name in self._finder.others
