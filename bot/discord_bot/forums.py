"""Help forums: each new post (its title and first message) is a question.

A post is answered in its thread when the bot is confident: an answer, an emergency reply, or
"did you mean" buttons that only the post's author may use. On a fallback the bot stays silent:
no noise in a forum, where people answer each other too. The author's later messages in the
thread continue the conversation (the follow-up context is per thread and member); other
members' messages there are not questions unless they mention the bot.

Reading the first message needs the Message Content intent; without it only the title is read
(and any message that mentions the bot). Threads come from the guilds intent.
"""

from __future__ import annotations

import discord

from bot.engine.replies import Kind

SILENT_KINDS: frozenset[Kind] = frozenset({"fallback"})
"""Reply kinds a forum post does not get."""


def help_thread(message: discord.Message, forums: frozenset[int]) -> discord.Thread | None:
    """The thread of a post in one of the help ``forums`` that ``message`` is in, if any."""
    channel = message.channel
    if isinstance(channel, discord.Thread) and channel.parent_id in forums:
        return channel
    return None


def forum_question(message: discord.Message, thread: discord.Thread, text: str) -> str | None:
    """The question in ``message`` (``text``: its words, the bot's mention removed): the title
    and the first message of a new post, or a later message by the post's author; else None."""
    if message.id == thread.id:
        return "\n".join(part for part in (thread.name.strip(), text) if part)
    if message.author.id == thread.owner_id and text:
        return text
    return None
