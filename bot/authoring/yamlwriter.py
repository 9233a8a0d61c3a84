"""Write knowledge YAML the way people write it by hand, keeping what they wrote.

A file being replaced is edited in place with ``ruamel.yaml``'s round trip: values that
change are replaced, the rest (with every comment anywhere in the file, the quoting and the
line breaks people chose) stays as it was. A new file has nothing to keep, so libyaml's
emitter writes it (ten times faster: an import of 2,000 pages writes 6,000 files), with lists
indented under their key and short lists of names on one line, as ruamel writes them too.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

WIDTH = 96
"""Where long text is folded onto the next line."""
SEQ_TAG = "tag:yaml.org,2002:seq"
STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER: Any = yaml.resolver.Resolver()
"""YAML 1.1's reading of plain text, as the knowledge loader (PyYAML) reads it."""

_Dumper: Any = type("_Dumper", (getattr(yaml, "CSafeDumper", yaml.SafeDumper),), {})


class FlowList(list[Any]):
    """A short list of names, written on one line: ``brands: [Neurontin, Gralise]``."""


_Dumper.add_representer(
    FlowList, lambda dumper, data: dumper.represent_sequence(SEQ_TAG, data, flow_style=True)
)


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, quoting and order survive a load and a dump
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    return yaml


def dump(
    data: dict[str, Any],
    *,
    header: list[str],
    flow: Collection[str] = (),
    previous: str | None = None,
    keep_comment: Callable[[str], bool] = lambda line: True,
) -> str:
    """``data`` as YAML under the ``header`` comment lines.

    ``flow`` names top-level lists to write on one line. ``previous`` is the text of the file
    being replaced: it is edited into ``data``, so its comments stay where they were; its
    opening comments (those ``keep_comment`` accepts and not already in ``header``) follow
    ``header``.
    """
    ours = set(header)
    opening, body = _split_opening(previous or "")
    kept = [line for line in opening if line not in ours and keep_comment(line)]
    document = _yaml().load(body) if body.strip() else None
    if isinstance(document, CommentedMap):
        _update_map(document, data, flow)
        stream = io.StringIO()
        _yaml().dump(document, stream)
        text = stream.getvalue()
    else:
        text = _new_file(data, flow)
    # An emitter leaves a space where it folds a long line; that space is not part of the text.
    body = "\n".join(line.rstrip(" ") for line in text.split("\n"))
    return "\n".join([*header, *kept, body])


def _new_file(data: dict[str, Any], flow: Collection[str]) -> str:
    data = {key: FlowList(value) if key in flow else value for key, value in data.items()}
    text = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH - 6, indent=2
    )
    return indent_lists(text)


def indent_lists(text: str) -> str:
    """Indent each block list under its key (libyaml writes ``key:`` then ``- item`` at the
    key's own indent): every line of such a list, up to the next line less indented, or as
    indented but not an item, moves two spaces right; the YAML stays the same."""
    shifted: list[str] = []
    open_lists: list[int] = []  # the indents, in the emitter's output, of lists being shifted
    previous = ""
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        item = line[indent:].startswith("- ") or line.strip() == "-"
        while open_lists and line and _ends_list(open_lists[-1], indent, item):
            open_lists.pop()
        if item and previous.endswith(":") and len(previous) - len(previous.lstrip(" ")) == indent:
            open_lists.append(indent)
        shifted.append(" " * (2 * len(open_lists)) + line if line else line)
        previous = line.rstrip()
    return "\n".join(shifted)


def _ends_list(list_indent: int, indent: int, item: bool) -> bool:
    return indent < list_indent or (indent == list_indent and not item)


def _split_opening(text: str) -> tuple[list[str], str]:
    """The comment lines before the first key, and the rest of the file."""
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines) and lines[index].lstrip().startswith("#"):
        index += 1
    return [line.rstrip("\n") for line in lines[:index]], "".join(lines[index:])


def _fresh(value: Any, flow: Collection[str] = ()) -> Any:
    """``value`` as round-trip nodes; the top-level lists named in ``flow`` on one line."""
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = _fresh(item)
            if key in flow and isinstance(node[key], CommentedSeq):
                node[key].fa.set_flow_style()
        return node
    if isinstance(value, list):
        return CommentedSeq(_fresh(item) for item in value)
    if (
        isinstance(value, str)
        and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != STR_TAG
    ):
        # ruamel writes YAML 1.2, where a plain NO or 1e3 is text; the loader reads 1.1.
        return DoubleQuotedScalarString(value)
    return value


def _update_map(node: CommentedMap, data: dict[str, Any], flow: Collection[str] = ()) -> None:
    for key in [key for key in node if key not in data]:
        del node[key]
    for index, (key, value) in enumerate(data.items()):
        if key in node:
            node[key] = _update(node[key], value)
        else:
            node.insert(index, key, _fresh({key: value}, flow)[key])


def _update(node: Any, value: Any) -> Any:
    """``node`` edited to hold ``value``, in place where the shapes agree (keeping comments)."""
    if isinstance(node, CommentedMap) and isinstance(value, dict):
        _update_map(node, value)
        return node
    if isinstance(node, CommentedSeq) and isinstance(value, list):
        for index, item in enumerate(value):
            if index < len(node):
                node[index] = _update(node[index], item)
            else:
                node.append(_fresh(item))
        del node[len(value) :]
        return node
    if type(node) is not bool and node == value and type(value) is not bool:
        return node  # unchanged: its quoting and folding stay as written
    return _fresh(value)
