"""Turn an engine :class:`~bot.replies.Reply` into Discord messages within Discord's limits.

Answers, clarifications and fallbacks become one embed per message (title: the drug and topic,
description: the answer, footer: the disclaimer); a long answer is split at paragraph, line,
sentence or word boundaries over several messages, and every part carries the whole
disclaimer. Emergencies are plain, prominent text with no embed. Text typed by a user that is
echoed back is escaped so it can neither mention anyone nor inject markdown.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.engine.replies import Reply

MESSAGE_LIMIT = 2000
DESCRIPTION_LIMIT = 4096
EMBED_LIMIT = 6000
TITLE_LIMIT = 256
FOOTER_LIMIT = 2048
MAX_CHOICES = 5
"""Clarify choices shown (one row of buttons)."""
ECHO_LIMIT = 300
"""How much of a user's question is echoed above a slash command's answer."""

COLOURS = {
    "answer": discord.Colour.blurple(),
    "clarify": discord.Colour.gold(),
    "fallback": discord.Colour.light_grey(),
}
_SEPARATORS = ("\n\n", "\n", ". ", "; ", ", ", " ")


@dataclass(frozen=True)
class Outgoing:
    """One message to send: plain ``content`` or one ``embed`` (never both empty)."""

    content: str | None = None
    embed: discord.Embed | None = None


def escape_user_text(text: str) -> str:
    """User text made inert: no @everyone/@here/user/role mentions, no markdown."""
    return discord.utils.escape_markdown(discord.utils.escape_mentions(text))


def split_text(text: str, limit: int) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` characters, at the best boundary."""
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    pieces: list[str] = []
    while len(text) > limit:
        cut = _best_cut(text, limit)
        piece = text[:cut].rstrip()
        if piece:
            pieces.append(piece)
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _best_cut(text: str, limit: int) -> int:
    for separator in _SEPARATORS:
        found = text.rfind(separator, 0, limit)
        # A paragraph or line break is worth a shorter piece; a space only as a last resort.
        if found > 0 and (found >= limit // 3 or separator == " "):
            return found + len(separator)
    return limit


def render(reply: Reply, *, echo: str | None = None, lead: str | None = None) -> list[Outgoing]:
    """The messages for ``reply``; ``echo`` is the user's question, shown quoted (escaped);
    ``lead`` goes before an emergency reply (help for someone else)."""
    if reply.kind == "emergency":
        return render_plain(f"{lead}\n\n{reply.text}" if lead else reply.text)
    return render_embeds(reply, echo=echo)


def render_plain(text: str) -> list[Outgoing]:
    """Plain text messages (used for emergencies): mentions escaped, split at 2,000."""
    safe = discord.utils.escape_mentions(text)
    return [Outgoing(content=piece) for piece in split_text(safe, MESSAGE_LIMIT)]


def render_embeds(reply: Reply, *, echo: str | None = None) -> list[Outgoing]:
    title = _truncate(reply.title, TITLE_LIMIT) if reply.title else None
    footer = reply.disclaimer or None
    body = discord.utils.escape_mentions(_with_suggestions(reply))
    if echo and echo.strip():
        quoted = escape_user_text(_truncate(" ".join(echo.split()), ECHO_LIMIT))
        body = f"> {quoted}\n\n{body}"
    trailer: str | None = None
    if footer and len(footer) > FOOTER_LIMIT:
        # Too long for a footer: it becomes the last part of the description, never cut.
        trailer, footer = footer, None
    room = min(
        DESCRIPTION_LIMIT,
        EMBED_LIMIT - len(title or "") - len(footer or "") - len(" (10/10)"),
    )
    pieces = split_text(body, room)
    if trailer is not None:
        pieces.extend(split_text(trailer, room))
    if not pieces:
        pieces = ["\u200b"]
    colour = COLOURS.get(reply.kind, discord.Colour.light_grey())
    messages: list[Outgoing] = []
    for index, piece in enumerate(pieces, start=1):
        part_title = title
        if title and len(pieces) > 1:
            part_title = _truncate(title, TITLE_LIMIT - 8) + f" ({index}/{len(pieces)})"
        embed = discord.Embed(title=part_title, description=piece, colour=colour)
        if footer:
            embed.set_footer(text=footer)
        messages.append(Outgoing(embed=embed))
    return messages


def _with_suggestions(reply: Reply) -> str:
    """A clarify body lists its choices (also shown as buttons) unless it already does."""
    body = reply.body
    missing = [s.label for s in reply.suggestions[:MAX_CHOICES] if s.label not in body]
    if reply.kind == "clarify" and missing:
        listed = "\n".join(f"{i}. {label}" for i, label in enumerate(missing, start=1))
        body = f"{body}\n{listed}"
    return body


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def message_length(outgoing: Outgoing) -> int:
    """Characters Discord counts against its limits for this message."""
    total = len(outgoing.content or "")
    if outgoing.embed is not None:
        total += len(outgoing.embed)
    return total
