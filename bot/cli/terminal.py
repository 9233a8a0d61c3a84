"""Replies at a terminal: Discord's markdown shown as formatted text, not raw ``**stars**``.

Replies are written for Discord, where ``**bold**`` is bold and every line break counts. At a
terminal :mod:`rich` renders them the same way (each line break kept as one); piped into a
file or another program, the reply stays the plain text it is, for tools that read it.
"""

from __future__ import annotations

import sys
from typing import TextIO


def show_reply(text: str, stream: TextIO | None = None, *, end: str = "\n") -> None:
    out = stream if stream is not None else sys.stdout
    if not out.isatty():
        print(text, end=end, file=out, flush=True)
        return
    from rich.console import Console  # only at a terminal: it takes a while to import
    from rich.markdown import Markdown

    console = Console(file=out, highlight=False, soft_wrap=False)
    # Markdown joins single line breaks into one paragraph; two trailing spaces keep each.
    console.print(Markdown(text.replace("\n", "  \n")), end=end)
    out.flush()
