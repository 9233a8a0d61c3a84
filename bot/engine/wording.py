"""Small text helpers the renderer uses: lists in a sentence, bullets, cutting to a limit."""

from __future__ import annotations

from collections.abc import Sequence

from bot.knowledge.schema import ListSection

MAX_LISTED = 10
"""Names listed in one sentence before "and N more"."""


def bullets(section: ListSection) -> str:
    items = "\n".join(f"• {item}" for item in section.items)
    return f"{section.lead}\n{items}" if section.lead else items


def listing(names: Sequence[str], conjunction: str) -> str:
    """ "a", "a and b", "a, b and c" (``conjunction``: the messages' ``list_and``)."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at the last paragraph, line, sentence or
    word break that keeps most of it, ending in "…"."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    for separator in ("\n\n", "\n", ". ", " "):
        found = head.rfind(separator)
        if found >= limit // 2:
            head = head[: found + 1] if separator == ". " else head[:found]
            break
    return head.rstrip() + "…"
