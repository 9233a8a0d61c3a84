"""Checks across a drug's names and a combination's FAQs that the schema cannot express.

A drug's name that is an everyday word ("The", "Side") or shorter than three letters would
match nearly every question, so it is refused unless the drug lists it under
``intended_names``. Everyday words are those the lexicon itself uses to read questions (its
topic phrasings and its filler, overview and cue words) and those in
``reference/common-words.txt``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from bot.knowledge.lexicon_schema import TopicsFile, WordsFile
from bot.knowledge.schema import Combination, Drug
from bot.knowledge.text import normalise
from bot.knowledge.yamlsource import Problem, YamlDocument

COMMON_WORDS = Path("reference") / "common-words.txt"
MIN_NAME_LETTERS = 3
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def everyday_words(
    topics: TopicsFile | None, words: WordsFile | None, common: Path, problems: list[Problem]
) -> frozenset[str]:
    """Single words that cannot be a drug's name (lower-case, normalised)."""
    found: set[str] = set(_read_words(common, problems))
    phrases: list[str] = []
    if topics is not None:
        for topic in topics.topics.values():
            phrases.extend([*topic.phrasings, *topic.check_cues])
    if words is not None:
        for name in WordsFile.model_fields:
            value = getattr(words, name)  # phrases; pairs of words; symbols -> words
            for entry in value.values() if isinstance(value, dict) else value:
                phrases.extend(entry if isinstance(entry, list) else [entry])
    for phrase in phrases:
        found.update(_WORD.findall(normalise(phrase)))
    return frozenset(found)


def _read_words(path: Path, problems: list[Problem]) -> list[str]:
    """One word a line, ``#`` comments; a missing file adds none (the lexicon still counts)."""
    if not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(path, 0, "not valid UTF-8 text; save the file as UTF-8"))
        return []
    except OSError as exc:
        problems.append(Problem(path, 0, f"cannot read file: {exc.strerror}"))
        return []
    return [normalise(line.strip()) for line in text.splitlines() if line.strip()[:1] not in "#"]


def check_names(
    drugs: Iterable[tuple[Drug, YamlDocument]], everyday: frozenset[str], problems: list[Problem]
) -> None:
    for drug, document in drugs:
        intended = {normalise(name) for name in drug.intended_names}
        for field_name, names in (
            ("name", [drug.name]),
            ("generic_name", [drug.generic_name]),
            ("brands", drug.brands),
            ("misspellings", drug.misspellings),
        ):
            for index, name in enumerate(names):
                key = normalise(name)
                why = _why_not_a_name(key, everyday)
                if why and key not in intended:
                    location = (field_name,) if field_name.endswith("name") else (field_name, index)
                    problems.append(
                        document.problem(
                            location,
                            f"name {name!r} {why}, so nearly every question would match "
                            f"{drug.id!r}; use a longer name, or list it under intended_names "
                            "if it is meant",
                        )
                    )


def _why_not_a_name(key: str, everyday: frozenset[str]) -> str | None:
    if sum(c.isalnum() for c in key) < MIN_NAME_LETTERS:
        return f"is shorter than {MIN_NAME_LETTERS} letters"
    if key in everyday:
        return "is an everyday English word"
    return None


def check_has_sections(drugs: Iterable[tuple[Drug, YamlDocument]], problems: list[Problem]) -> None:
    for drug, document in drugs:
        if not drug.sections:
            problems.append(
                document.problem(
                    ("sections",),
                    f"drug {drug.id!r} has no sections, so it offers topics it cannot answer; "
                    "add a section on one of the topics of lexicon/topics.yaml",
                )
            )


def check_faq_questions(combination: Combination, document: YamlDocument) -> list[Problem]:
    """Two FAQs asking the same question give two answers to it: one must go."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for index, faq in enumerate(combination.faqs):
        key = " ".join(_WORD.findall(normalise(faq.question)))
        if key in first:
            other = combination.faqs[first[key]]
            line = document.line_of(("faqs", first[key]))
            problems.append(
                document.problem(
                    ("faqs", index, "question"),
                    f"FAQ {faq.id!r} asks the same question as FAQ {other.id!r} (line {line}); "
                    "two answers to one question: keep one",
                )
            )
        first.setdefault(key, index)
    return problems
