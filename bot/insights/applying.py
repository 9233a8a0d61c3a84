"""Planned knowledge edits: checked in a temporary copy, shown as a diff, written atomically.

Nothing is written until the edited knowledge loads without a problem in a temporary copy;
then each file is replaced by a rename, so a reader never sees half a file.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bot.insights.knowledge_edits import Change
from bot.knowledge.loading import load_knowledge
from bot.knowledge.yamlsource import KnowledgeError


def validate(root: Path, changes: Sequence[Change]) -> list[str]:
    """Problems the edited knowledge would have (none: it loads), checked in a temporary copy."""
    with tempfile.TemporaryDirectory(prefix="medfaq-learn-") as scratch:
        copy = Path(scratch) / "knowledge"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".*"))
        for change in changes:
            (copy / change.path.relative_to(root)).write_text(change.new, encoding="utf-8")
        try:
            load_knowledge(copy)
        except KnowledgeError as exc:
            return [str(p).replace(str(copy), str(root)) for p in exc.problems]
    return []


def unified_diff(root: Path, changes: Sequence[Change]) -> str:
    lines: list[str] = []
    for change in changes:
        name = str(change.path.relative_to(root))
        lines.extend(
            difflib.unified_diff(
                change.old.splitlines(keepends=True),
                change.new.splitlines(keepends=True),
                f"a/{name}",
                f"b/{name}",
            )
        )
    return "".join(lines)


def write(changes: Sequence[Change]) -> None:
    """Replace each file atomically (a temporary file beside it, then a rename)."""
    for change in changes:
        if change.new == change.old:
            continue
        mode = change.path.stat().st_mode & 0o777
        handle, temp = tempfile.mkstemp(prefix=f".{change.path.name}.", dir=change.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(change.new)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, mode)
            os.replace(temp, change.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
