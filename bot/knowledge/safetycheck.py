"""Checks of ``safety.yaml`` beyond its shape: every phrase parses and can only run in linear
time, every class, signal and reply a rule names exists, every required kind of emergency is
recognised, and every emergency reply keeps the emergency numbers."""

from __future__ import annotations

import string
from collections.abc import Callable

from bot.knowledge.phrases import BUILT_IN_CLASSES, parse_phrase
from bot.knowledge.safety_schema import REQUIRED_KINDS, SafetyFile
from bot.knowledge.yamlsource import Problem, YamlDocument

NUMBERS = "numbers"
Report = Callable[[tuple[str | int, ...], str], None]


def check_safety(safety: SafetyFile, document: YamlDocument, problems: list[Problem]) -> None:
    def problem(location: tuple[str | int, ...], message: str) -> None:
        problems.append(document.problem(location, message))

    classes = BUILT_IN_CLASSES | set(safety.classes)
    for category, phrases in safety.signals.items():
        if not phrases:
            problem(("signals", category), f"signal {category!r} has no phrases; add some")
        for index, phrase in enumerate(phrases):
            try:
                readings = parse_phrase(phrase)
            except ValueError as exc:
                problem(("signals", category, index), f"bad phrase {phrase!r}: {exc}")
                continue
            unknown = {c for r in readings for e in r for c in e.classes} - classes
            for name in sorted(unknown):
                problem(
                    ("signals", category, index),
                    f"unknown class <{name}>; add it under 'classes:' or fix its spelling",
                )
    signals = set(safety.signals)
    for name, mask in safety.masks.items():
        for category in (name, *mask.unless, *mask.cancels):
            if category not in signals:
                problem(("masks", name), f"unknown signal {category!r}; add it under 'signals:'")
    for index, rule in enumerate(safety.rules):
        if not rule.all and not rule.any:
            problem(("rules", index), "a rule needs signals under 'all' or 'any'")
        for category in rule.together:
            if category not in (*rule.all, *rule.any):
                problem(("rules", index, "together"), f"{category!r} is not in 'all' or 'any'")
        for field in ("all", "any", "none"):
            for category in getattr(rule, field):
                if category not in signals:
                    problem(
                        ("rules", index, field),
                        f"unknown signal {category!r}; add it under 'signals:' or fix the name",
                    )
        texts = {"emergency": safety.replies, "guidance": safety.guidance}.get(rule.level)
        reply = rule.reply or rule.kind
        if texts is not None and reply not in texts:
            where = "replies" if rule.level == "emergency" else "guidance"
            problem(("rules", index), f"no text {reply!r} under '{where}:'; add one")
    for field in ("defer_to", "trusted", "silenced_by"):
        for category in getattr(safety.model, field) if safety.model else ():
            if category not in signals:
                problem(("model", field), f"unknown signal {category!r}; add it under 'signals:'")
    kinds = {rule.kind for rule in safety.rules if rule.level == "emergency"}
    for kind in REQUIRED_KINDS:
        if kind not in kinds:
            problem(
                ("rules",),
                f"no emergency rule for {kind!r}; every safety file must recognise "
                f"{', '.join(REQUIRED_KINDS)}",
            )
    for section, texts, required in (
        ("replies", safety.replies, True),
        ("guidance", safety.guidance, False),
    ):
        for name, text in texts.items():
            _check_text((section, name), text, required, problem)


def _check_text(location: tuple[str, str], text: str, required: bool, problem: Report) -> None:
    try:
        used = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError as exc:
        problem(location, f"bad placeholder: {exc}")
        return
    for name in sorted(used - {NUMBERS}):
        problem(location, f"unknown placeholder {{{name}}}; this text may use {{{NUMBERS}}}")
    if required and NUMBERS not in used:
        problem(location, f"an emergency reply must name the emergency numbers: add {{{NUMBERS}}}")
