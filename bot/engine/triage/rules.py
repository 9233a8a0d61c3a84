"""Combining signals: masks take spans away, then the first rule that holds decides."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from bot.engine.triage.signals import Span
from bot.knowledge.safety_schema import Mask, SafetyRule


def apply_masks(spans: Sequence[Span], masks: Mapping[str, Mask]) -> list[Span]:
    """``spans`` without those a mask cancels.

    An ``overlap`` mask ("killing me", "overdosed on netflix") cancels the signals it overlaps
    (only those of its ``cancels``, when given, which may name another mask: "when i get off
    work" takes away the habitual "i get"), unless the message holds one of its ``unless``
    ("want to die lmao /srs");
    a ``sentence`` mask ("years ago", "used to", "all good now") cancels every span of its
    sentence, unless that sentence also holds a signal of the mask's ``unless`` ("tonight");
    a ``message`` mask cancels its ``cancels`` in the whole message, unless the message also
    holds a signal of its ``unless``. Masks act in their order, and a mask another took away
    does nothing ("if my dog ate ..." takes away the "my dog ate" that would make a question
    a report).
    """
    by_category: dict[str, list[Span]] = {}
    for span in spans:
        by_category.setdefault(span.category, []).append(span)
    cancelled: set[Span] = set()
    for name, mask in masks.items():
        for masking in by_category.get(name, ()):
            if masking in cancelled:
                continue
            if mask.scope == "overlap":
                if any(c in by_category for c in mask.unless):
                    continue
                cancelled.update(
                    s
                    for s in spans
                    if (
                        s.category in mask.cancels
                        if mask.cancels
                        else s.category not in masks and s.category not in mask.spares
                    )
                    and s.start < masking.end
                    and masking.start < s.end
                )
                continue
            if mask.scope == "message":
                if any(c in by_category for c in mask.unless):
                    continue
                cancelled.update(
                    s
                    for s in spans
                    if s.category != name and (not mask.cancels or s.category in mask.cancels)
                )
                continue
            sentence = masking.sentence
            if any(s.sentence == sentence for c in mask.unless for s in by_category.get(c, ())):
                continue
            cancelled.update(s for s in spans if s.sentence == sentence and s.category != name)
    return [s for s in spans if s not in cancelled]


def first_rule(
    rules: Sequence[SafetyRule], present: Collection[str], sentences: Sequence[set[str]]
) -> SafetyRule | None:
    """The first rule whose ``all`` are present, one of whose ``any`` is (when it has any),
    none of whose ``none`` is, and whose ``together`` share a sentence, or ``within``
    neighbouring sentences (``sentences``: the signals of each sentence, in order)."""
    have = set(present)
    for rule in rules:
        if not have.issuperset(rule.all):
            continue
        if rule.any and have.isdisjoint(rule.any):
            continue
        if not have.isdisjoint(rule.none):
            continue
        # Last, as the dearest: most rules already fail on the signals present.
        if rule.together and not any(_holds(rule, s) for s in _windows(sentences, rule.within)):
            continue
        return rule
    return None


def _holds(rule: SafetyRule, found: Collection[str]) -> bool:
    """The ``together`` signals of ``rule`` are all in ``found``, where the rule's own
    conditions are met."""
    wanted = [c for c in rule.together if c in rule.all]
    either = [c for c in rule.together if c in rule.any]
    return all(c in found for c in wanted) and (not either or any(c in found for c in either))


def _windows(sentences: Sequence[set[str]], size: int) -> list[set[str]]:
    """The signals of each run of ``size`` neighbouring sentences."""
    if size <= 1:
        return list(sentences)
    last = max(len(sentences) - size + 1, 1)
    return [set().union(*sentences[i : i + size]) for i in range(last)]
