"""Read one YAML file safely, keeping the line of every value for error messages."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 2_000_000
"""A knowledge file larger than this is refused: real ones are a few kilobytes."""

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One mistake in a knowledge file, shown as ``path:line: message``."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:  # a whole file or folder, not a place in it
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """Raised with every problem found, so a maintainer can fix them all in one pass."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class YamlDocument:
    path: Path
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)
    raw: dict[Location, str] = field(default_factory=dict)
    """The source text of each value YAML did not read as text (``yes``, ``12``), for hints."""

    def line_of(self, location: Location) -> int:
        """The line of the deepest part of ``location`` that exists in the file."""
        for end in range(len(location), -1, -1):
            line = self.lines.get(tuple(location[:end]))
            if line is not None:
                return line
        return 1

    def problem(self, location: Location, message: str) -> Problem:
        return Problem(self.path, self.line_of(location), message)


def read_text(path: Path) -> str:
    """The file's text, or a Problem naming what is wrong with it."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise KnowledgeError(
                [
                    Problem(
                        path,
                        0,
                        f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,} limit; "
                        "split it into one file per drug or combination",
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise KnowledgeError([Problem(path, 0, f"cannot read file: {exc.strerror}")]) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KnowledgeError(
            [Problem(path, line, "not valid UTF-8 text; save the file as UTF-8")]
        ) from exc


MAX_VALUES = 100_000
"""More values than this in one file means aliases (``*name``) expanding out of control."""
MAX_DEPTH = 50
"""Knowledge files nest a few levels; deeper means a mistake (or a hostile file)."""
_BRACKET = re.compile(r"[\[\]{}]")


def load_yaml(path: Path) -> YamlDocument:
    text = read_text(path)
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "syntax error"
        start = exc.context_mark
        if exc.problem and exc.context and start and mark and start.line != mark.line:
            what += f" ({exc.context.removeprefix('while ')} started on line {start.line + 1})"
        raise KnowledgeError(
            [Problem(path, line, f"YAML syntax error: {what}; check indentation and quoting")]
        ) from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError([Problem(path, 1, f"YAML error: {exc}")]) from exc
    except _TooLarge as exc:
        raise KnowledgeError(
            [Problem(path, exc.line, f"values nested too deeply (more than {MAX_DEPTH} levels)")]
        ) from None
    document = YamlDocument(path=path, data=None)
    if root is None:
        return document
    builder = _Builder(document)
    try:
        document.data = builder.build(root, ())
    except _TooLarge as exc:
        message = (
            f"more than {MAX_VALUES:,} values or {MAX_DEPTH} levels of nesting; "
            "check for an alias (*name) that repeats a large part of the file"
        )
        raise KnowledgeError([Problem(path, exc.line, message)]) from None
    if builder.problems:
        raise KnowledgeError(builder.problems)
    return document


def _compose(text: str) -> yaml.Node | None:
    _check_flow_depth(text)
    return yaml.compose(text, Loader=_Loader)


def _check_flow_depth(text: str) -> None:
    """Refuse ``[[[[...`` nested past MAX_DEPTH before libyaml sees it: its composer crashes
    the whole process (not an exception) on flow collections nested tens of thousands deep.
    Brackets inside quoted text are counted too; only a file with more than MAX_DEPTH
    unclosed ones in a row could be refused by mistake."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for bracket in _BRACKET.finditer(text):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            raise _TooLarge(text.count("\n", 0, bracket.start()) + 1)


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when installed (ten times faster on thousands of files); same results."""


class _TooLarge(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Builder:
    """Turns composed nodes into Python values, noting the line of each and every mistake."""

    def __init__(self, document: YamlDocument) -> None:
        self.doc = document
        self.problems: list[Problem] = []
        self.values = 0
        self.scalars = yaml.constructor.SafeConstructor()
        """One per file: it caches every node it reads, and files load in several threads."""

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.doc.path, node.start_mark.line + 1, message))

    def build(self, node: yaml.Node, location: Location) -> Any:
        self.doc.lines.setdefault(location, node.start_mark.line + 1)
        self.values += 1
        if self.values > MAX_VALUES or len(location) > MAX_DEPTH:
            raise _TooLarge(node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, location)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*location, index)) for index, item in enumerate(node.value)]
        return self._scalar(node, location)

    def _mapping(self, node: yaml.MappingNode, location: Location) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, (*location, "<key>"))
            if isinstance(key, bool):
                self.problem(
                    key_node,
                    f"key {key_node.value} is read as true/false; put it in quotes: "
                    f'"{key_node.value}"',
                )
                continue
            if not isinstance(key, str | int):
                self.problem(key_node, "a key must be plain text")
                continue
            if key in result:
                first = self.doc.lines[(*location, key)]
                self.problem(key_node, f"duplicate key {key!r} (first on line {first}); keep one")
                continue
            self.doc.lines[(*location, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*location, key))
        return result

    def _scalar(self, node: yaml.Node, location: Location) -> Any:
        if node.tag == "tag:yaml.org,2002:merge":
            self.problem(node, "merge keys (<<) are not supported; write the keys out")
            return None
        try:
            value = self.scalars.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError):
            self.problem(
                node, f"cannot read {node.value!r} with the tag {node.tag}; remove the '!' tag"
            )
            return None
        if isinstance(value, str):
            # One object per text: thousands of drug files repeat "Nausea", "Headache", ids.
            return sys.intern(value)
        self.doc.raw[location] = str(node.value)
        return value
