"""The learned second opinion: how likely each kind of emergency is, given the features."""

from __future__ import annotations

import math
from collections.abc import Iterable

from bot.knowledge.triage_model import NO_DANGER, TriageModelData


def probabilities(model: TriageModelData, features: Iterable[str]) -> dict[str, float]:
    """Each class's probability (a softmax over the summed weights of ``features``)."""
    scores = list(model.intercepts)
    for name in features:
        weights = model.weights.get(name)
        if weights is not None:
            for index, weight in enumerate(weights):
                scores[index] += weight
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return {c: e / total for c, e in zip(model.classes, exps, strict=True)}


def danger(chances: dict[str, float]) -> float:
    """The chance that the message is an emergency of any kind."""
    return 1.0 - chances.get(NO_DANGER, 1.0)
