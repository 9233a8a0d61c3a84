"""The learned model as a second opinion beside the rules: when it may call an emergency the
rules did not see, and when it may overrule one they did."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence

from bot.engine.triage.features import features
from bot.engine.triage.model import LinearModel, danger
from bot.engine.triage.signals import Span
from bot.engine.triage.tokens import Token
from bot.knowledge.safety_schema import Mask, ModelUse
from bot.knowledge.triage_model import TriageModelData

MIN_LETTERS = 3
SENTENCE_WORDS = 2
"""Known words a sentence needs to be judged alone ("overdose" on its own line is not)."""
_WORD = re.compile(r"[a-z]+")
"""Words as written: "u" read as "you" is not a word the person wrote."""


class SecondOpinion:
    def __init__(self, model: TriageModelData, use: ModelUse) -> None:
        self.model = LinearModel(model)
        self.use = use

    def chances(
        self, tokens: Sequence[Token], found: Sequence[Span], kept: Sequence[Span]
    ) -> dict[str, float]:
        """Each class's probability for the whole message."""
        return self.model.probabilities(features(tokens, found, kept))

    def trusts(self, present: Collection[str]) -> bool:
        """A message with a trusted signal (a goodbye, swelling lips) is never overruled."""
        return any(c in present for c in self.use.trusted)

    def silenced(self, present: Collection[str], masks: Mapping[str, Mask]) -> bool:
        """A message that says it is not meant ("figuratively"), or tells a story long over,
        gets no emergency of the model's own: unless the mask's own exceptions are there too
        ("8 years clean but tonight ...")."""
        for category in self.use.silenced_by:
            mask = masks.get(category)
            excepted = mask is not None and any(u in present for u in mask.unless)
            if category in present and not excepted:
                return True
        return False

    def fires(self, chances: dict[str, float], asked: bool) -> bool:
        """Over a question the rules recognised (``asked``), only when very sure."""
        return danger(chances) >= (self.use.sure if asked else self.use.fire)

    def doubts(
        self,
        question: str,
        chances: dict[str, float],
        tokens: Sequence[Token],
        found: Sequence[Span],
        kept: Sequence[Span],
    ) -> bool:
        """Whether a rule's emergency should be overruled: the model knows enough of the
        words the person wrote to go on (not "u" read as "you"), and neither the message nor
        any sentence holding a signal looks like an emergency ("does it cause weight gain? i
        cant breathe": the second sentence alone does)."""
        known = self._known(_WORD.findall(question.casefold()))
        if len(known) < self.use.overrule_from or danger(chances) > self.use.keep:
            return False
        for sentence in sorted({s.sentence for s in kept}):
            words = [t for t in tokens if t.sentence == sentence]
            if len(self._known(t.text for t in words)) < SENTENCE_WORDS:
                return False  # too short to judge alone: "overdose" on a line of its own
            alone = self.model.probabilities(
                features(
                    words,
                    [s for s in found if s.sentence == sentence],
                    [s for s in kept if s.sentence == sentence],
                ),
            )
            if danger(alone) > self.use.keep:
                return False
        return True

    def _known(self, words: Iterable[str]) -> set[str]:
        return {w for w in words if len(w) >= MIN_LETTERS and f"w:{w}" in self.model.features}
