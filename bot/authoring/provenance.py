"""Which pages a knowledge file came from, read from its opening comment, so that a page never
silently replaces a drug or combination that another page or a maintainer wrote.

``medfaq import`` opens each file with ``# Imported from a.md, b.md and 2 other pages by medfaq
import.``; a file written by hand may say ``# ... imported from ../seeds/a.md (...)``. A file
whose opening names no page was written by a maintainer."""

from __future__ import annotations

import re
from pathlib import Path

_IMPORTED = re.compile(r"imported from (.+?)(?: by medfaq import\.?$| \(|\.?$)", re.IGNORECASE)
_MORE = re.compile(r" and \d+ other pages?$")


def page_sources(text: str) -> tuple[set[str], bool] | None:
    """The page file names the opening comment names, and whether it says there are more;
    None when it names none."""
    for line in text.splitlines():
        if not line.lstrip().startswith("#"):
            break
        match = _IMPORTED.search(line.strip())
        if match:
            named = match.group(1).strip()
            more = bool(_MORE.search(named))
            names = {Path(part.strip()).name for part in _MORE.sub("", named).split(",")}
            return {name for name in names if name}, more
    return None


def conflict(kind: str, entry_id: str, pages: list[Path], path: Path, text: str) -> str | None:
    """Why the page may not change the file at ``path`` (None: the file came from it)."""
    found = page_sources(text)
    if found is not None:
        names, more = found
        if more or names & {page.name for page in pages}:
            return None
        who = f"it came from {', '.join(sorted(names))}"
    else:
        who = "a maintainer wrote it (its opening comment names no page)"
    return (
        f"{kind} {entry_id!r} in {path} differs from this page, and {who}; make them agree, "
        "or pass --replace to let this page replace it"
    )
