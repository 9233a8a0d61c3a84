"""A validation error of a knowledge file, said as ``file:line: what is wrong`` in plain words."""

from __future__ import annotations

from typing import Any

from bot.knowledge.schema import SECTION_SHAPES
from bot.knowledge.yamlsource import Problem, YamlDocument


def explain(document: YamlDocument, error: Any) -> Problem:
    location: tuple[str | int, ...] = tuple(error["loc"])
    if location[:1] == ("sections",) and len(location) > 2 and location[2] in SECTION_SHAPES:
        location = location[:2] + location[3:]  # the section's shape, not a key in the file
    where = ".".join(str(part) for part in location) or "file"
    kind = error["type"]
    if kind == "missing":
        message = (
            f"missing required field {where!r}; add it (medfaq's bundled knowledge/ folder has "
            "an example of each field)"
        )
    elif kind == "extra_forbidden":
        message = f"unknown field {where!r}; check its spelling"
    elif kind in ("string_too_short", "too_short"):
        message = f"{where}: must not be empty"
    elif kind == "string_type":
        message = f"{where}: {_not_text(error['input'], document.raw.get(location))}"
    elif kind in ("list_type", "tuple_type"):
        message = f"{where}: expected a list; write each item on its own '- ' line"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = f"{where}: expected keys with values (key: value lines)"
    elif kind == "string_pattern_mismatch":
        message = (
            f"{where}: {error['input']!r} is not a valid id; use lowercase letters, digits, "
            "'-' and '_'"
        )
    else:
        message = f"{where}: {error['msg']}"
    return document.problem(location, message)


def _not_text(value: Any, raw: str | None) -> str:
    """Why a value is not text, and how to write it so it is."""
    if isinstance(value, bool):
        return f'YAML reads {raw or value} as true/false, not text; put it in quotes: "{raw}"'
    if isinstance(value, int | float):
        return f'YAML reads {raw or value} as a number, not text; put it in quotes: "{raw}"'
    if isinstance(value, list):
        return "expected text, found a list; write the text on one line (not '- ' items)"
    if isinstance(value, dict):
        return "expected text, found keys with values; if the text holds ': ', put it in quotes"
    if value is None:
        return "is empty; write the text"
    return f"expected text, found {raw or value!r}; put it in quotes"
