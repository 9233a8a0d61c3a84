"""Checks across files: drug ids, names and sections, combinations' drugs, message placeholders."""

from __future__ import annotations

import string
from pathlib import Path

from bot.knowledge.checks import (
    check_faq_questions,
)
from bot.knowledge.schema import MESSAGE_FIELDS, Combination, Drug, Messages
from bot.knowledge.text import normalise
from bot.knowledge.yamlsource import Problem, YamlDocument


def check_drugs(drugs: list[tuple[Drug, YamlDocument]], problems: list[Problem]) -> None:
    owner: dict[str, tuple[str, YamlDocument]] = {}
    seen_ids: dict[str, YamlDocument] = {}
    for drug, document in drugs:
        if drug.id in seen_ids:
            problems.append(
                document.problem(
                    ("id",), f"drug id {drug.id!r} is also used in {seen_ids[drug.id].path}"
                )
            )
            continue
        seen_ids[drug.id] = document
        reported: set[str] = set()  # name and generic name are often the same word: once
        for field_name, names in (
            ("name", [drug.name]),
            ("generic_name", [drug.generic_name]),
            ("brands", drug.brands),
            ("misspellings", drug.misspellings),
            ("abbreviations", drug.abbreviations),
        ):
            for index, name in enumerate(names):
                key = normalise(name)
                other = owner.get(key)
                if other and other[0] != drug.id and key not in reported:
                    reported.add(key)
                    location = (field_name,) if field_name.endswith("name") else (field_name, index)
                    problems.append(
                        document.problem(
                            location,
                            f"name {name!r} is also a name of {other[0]!r} ({other[1].path}); "
                            "a name must belong to one drug",
                        )
                    )
                owner.setdefault(key, (drug.id, document))


def check_combinations(
    combinations: list[tuple[Combination, YamlDocument]],
    drug_ids: set[str],
    problems: list[Problem],
) -> None:
    seen: dict[str, Path] = {}
    for combination, document in combinations:
        if combination.id in seen:
            problems.append(
                document.problem(
                    ("id",),
                    f"combination id {combination.id!r} is also used in {seen[combination.id]}",
                )
            )
        seen.setdefault(combination.id, document.path)
        for index, drug_id in enumerate(combination.drugs):
            if drug_id not in drug_ids:
                problems.append(
                    document.problem(
                        ("drugs", index),
                        f"unknown drug {drug_id!r}; add drugs/{drug_id}.yaml or fix the id",
                    )
                )
        faq_ids: set[str] = set()
        for index, faq in enumerate(combination.faqs):
            if faq.id in faq_ids:
                problems.append(
                    document.problem(("faqs", index, "id"), f"FAQ id {faq.id!r} is used twice")
                )
            faq_ids.add(faq.id)
        problems.extend(check_faq_questions(combination, document))


def check_messages(messages: Messages, document: YamlDocument, problems: list[Problem]) -> None:
    for name, allowed in MESSAGE_FIELDS.items():
        template = getattr(messages, name)
        try:
            used = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
        except ValueError as exc:
            problems.append(document.problem((name,), f"bad placeholder: {exc}"))
            continue
        for placeholder in sorted(used - allowed):
            hint = ", ".join(f"{{{a}}}" for a in sorted(allowed)) or "none"
            problems.append(
                document.problem(
                    (name,), f"unknown placeholder {{{placeholder}}}; this message may use {hint}"
                )
            )
