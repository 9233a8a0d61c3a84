"""Write knowledge YAML the way people write it by hand.

Lists are indented under their key, short lists of names sit on one line, and the comments
of the file being replaced are kept above the same top-level keys (they often cite the
source of a hand-added value).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

import yaml

SEQ_TAG = "tag:yaml.org,2002:seq"
WIDTH = 90
"""Where the emitter folds long text; indenting lists afterwards keeps lines near 100."""

_Dumper: Any = type("_Dumper", (getattr(yaml, "CSafeDumper", yaml.SafeDumper),), {})
"""libyaml's emitter when installed: several times faster, which matters for 2,000 pages."""


class FlowList(list[str]):
    """A short list of names, written on one line: ``brands: [Neurontin, Gralise]``."""


_Dumper.add_representer(
    FlowList, lambda dumper, data: dumper.represent_sequence(SEQ_TAG, data, flow_style=True)
)
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


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
    being replaced: its comments (those ``keep_comment`` accepts and that are not already in
    ``header``) are written again above the same keys, its opening comments after ``header``.
    """
    data = {key: FlowList(value) if key in flow else value for key, value in data.items()}
    body = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH, indent=2
    )
    ours = set(header)
    old_header, comments = _comments(
        previous or "", lambda line: line not in ours and keep_comment(line)
    )
    lines = [*header, *old_header]
    for line in indent_lists(body).splitlines():
        key = _TOP_KEY.match(line)
        if key:
            lines.extend(comments.get(key.group(1), []))
        lines.append(line)
    return "\n".join(lines) + "\n"


def indent_lists(text: str) -> str:
    """Indent each block list under its key, as the hand-written files do.

    The emitter writes ``key:`` then ``- item`` at the key's own indent; shifting every line
    of such a list (up to the next line that is less indented, or as indented but not an item)
    two spaces right keeps the same YAML.
    """
    shifted: list[str] = []
    open_lists: list[int] = []  # the indents, in the emitter's output, of lists being shifted
    previous = ""
    for line in text.split("\n"):
        indent = _indent(line)
        item = line[indent:].startswith("- ") or line.strip() == "-"
        while open_lists and line and _ends_list(open_lists[-1], indent, item):
            open_lists.pop()
        if item and previous.endswith(":") and _indent(previous) == indent:
            open_lists.append(indent)
        shifted.append(" " * (2 * len(open_lists)) + line if line else line)
        previous = line.rstrip()
    return "\n".join(shifted)


def _ends_list(list_indent: int, indent: int, item: bool) -> bool:
    return indent < list_indent or (indent == list_indent and not item)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _comments(text: str, keep: Callable[[str], bool]) -> tuple[list[str], dict[str, list[str]]]:
    """The file's header comments, and the comment lines right above each top-level key."""
    header: list[str] = []
    above: dict[str, list[str]] = {}
    pending: list[str] = []
    first = True
    for line in text.splitlines():
        if line.startswith("#"):
            if keep(line):
                pending.append(line)
            continue
        key = _TOP_KEY.match(line)
        if key:
            if first:
                header, first = pending, False
            else:
                above[key.group(1)] = pending
        if line.strip():
            pending = []
    return header, above
