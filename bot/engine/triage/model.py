"""The learned second opinion: how likely each kind of emergency is, given the features."""

from __future__ import annotations

import math
from collections.abc import Collection

from bot.knowledge.triage_model import NO_DANGER, TriageModelData


class LinearModel:
    """The model's weights arranged for speed: one table per class, so a message's score for a
    class is a sum of look-ups done in C (``map``), not a Python loop per feature and class."""

    def __init__(self, data: TriageModelData) -> None:
        self.classes = data.classes
        self.intercepts = data.intercepts
        self.features = frozenset(data.weights)
        self._columns = tuple(
            {name: ws[index] for name, ws in data.weights.items() if ws[index]}
            for index in range(len(data.classes))
        )

    def probabilities(self, features: Collection[str]) -> dict[str, float]:
        """Each class's probability (a softmax over the summed weights of ``features``)."""
        scores = [
            base + sum(filter(None, map(column.get, features)))
            for base, column in zip(self.intercepts, self._columns, strict=True)
        ]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}


def danger(chances: dict[str, float]) -> float:
    """The chance that the message is an emergency of any kind."""
    return 1.0 - chances.get(NO_DANGER, 1.0)
