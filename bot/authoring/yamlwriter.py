"""Write knowledge YAML the way people write it by hand, keeping what they wrote.

A new file is written with lists indented under their key and short lists of names on one
line. A file being replaced is edited in place with ``ruamel.yaml``'s round trip: values that
change are replaced, the rest (with every comment anywhere in the file, the quoting and the
line breaks people chose) stays as it was.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Collection
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

WIDTH = 96
"""Where long text is folded onto the next line."""


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
    else:
        document = _fresh(data, flow)
    stream = io.StringIO()
    _yaml().dump(document, stream)
    # The emitter leaves a space where it folds a long line; that space is not part of the text.
    body = "\n".join(line.rstrip(" ") for line in stream.getvalue().split("\n"))
    return "\n".join([*header, *kept, body])


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
