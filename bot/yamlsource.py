"""Read one YAML file safely, keeping the line of every value for error messages."""

from __future__ import annotations

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


def load_yaml(path: Path) -> YamlDocument:
    text = read_text(path)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "syntax error"
        raise KnowledgeError(
            [Problem(path, line, f"YAML syntax error: {what}; check indentation and quoting")]
        ) from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError([Problem(path, 1, f"YAML error: {exc}")]) from exc
    document = YamlDocument(path=path, data=None)
    if root is None:
        return document
    problems: list[Problem] = []
    document.data = _build(root, (), document, problems)
    if problems:
        raise KnowledgeError(problems)
    return document


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when installed (ten times faster on thousands of files); same results."""
_scalars = yaml.SafeLoader("")


def _build(node: yaml.Node, location: Location, doc: YamlDocument, problems: list[Problem]) -> Any:
    doc.lines.setdefault(location, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(key_node, (*location, "<key>"), doc, problems)
            if not isinstance(key, str | int):
                problems.append(
                    Problem(doc.path, key_node.start_mark.line + 1, "a key must be plain text")
                )
                continue
            if key in result:
                problems.append(
                    Problem(
                        doc.path,
                        key_node.start_mark.line + 1,
                        f"duplicate key {key!r} (first on line {doc.lines[(*location, key)]}); "
                        "keep one",
                    )
                )
                continue
            doc.lines[(*location, key)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, (*location, key), doc, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*location, index), doc, problems) for index, item in enumerate(node.value)
        ]
    return _scalars.construct_object(node)
