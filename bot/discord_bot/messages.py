"""Messages as questions: a mention (answered as a reply), an answer channel, a help forum
post (see :mod:`.forums`), or a DM.

The mention behaviour is a contract: "@medfaq QUESTION" anywhere the bot can read is answered
as a reply to that message. Messages from bots (and the bot itself) are ignored. Mentions and
DMs need no privileged intent; answer channels need the message content intent.
"""

from __future__ import annotations

import logging
import re

import discord
from discord.ext import commands

from . import delivery, texts
from .answering import Origin, Source
from .cooldown import Verdict
from .errors import report_message_error
from .forums import SILENT_KINDS, forum_question, help_thread
from .render import render_plain
from .services import Services
from .views import reply_view

log = logging.getLogger(__name__)

ASKING_TYPES = (discord.MessageType.default, discord.MessageType.reply)
"""Messages people type; not joins, pins, thread starts and other system messages."""


class MessageQuestions(commands.Cog):
    def __init__(self, bot: discord.Client, services: Services) -> None:
        self.bot = bot
        self.services = services
        self._warned_no_content = False

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None or message.type not in ASKING_TYPES:
            return
        async with self.services.in_flight.track():
            try:
                found = await self.question_in(message, self.bot.user)
                if found is not None:
                    await self.answer(message, *found)
            except Exception as exc:
                await report_message_error(message, exc)

    async def question_in(
        self, message: discord.Message, me: discord.ClientUser
    ) -> tuple[str, Source] | None:
        """The question and how it was asked, or None if the message is not for the bot."""
        guild_id = guild_id_of(message)
        if guild_id is None:
            if not self.services.settings.allow_dms:
                return None
            return message.content.strip(), "dm"
        if isinstance(message.channel, discord.Thread):
            forums = await self.services.forums(guild_id)
            thread = help_thread(message, forums)
            if thread is not None:
                text = strip_mention(message.content, me.id)
                question = forum_question(message, thread, text)
                if question is not None:
                    return question, "forum"
        if mentions_me(message, me):
            return strip_mention(message.content, me.id), "mention"
        if await self.services.is_answer_channel(guild_id, message.channel.id):
            if not message.content.strip():
                self._warn_no_content()
                return None
            return message.content.strip(), "channel"
        return None

    async def answer(self, message: discord.Message, question: str, source: Source) -> None:
        me = self.bot.user
        if not question:
            if source != "channel" and me is not None:
                hint = texts.EMPTY_MENTION.format(name=me.display_name)
                await message.reply(render_plain(hint)[0].content, mention_author=False)
            return
        decision = self.services.admit(message.author.id, question)
        if decision.verdict is Verdict.NOTIFY:
            seconds = max(1, round(decision.retry_after))
            await message.reply(texts.COOLDOWN.format(seconds=seconds), mention_author=False)
        if not decision.allowed:
            return
        origin = Origin(source, message.author.id, guild_id_of(message), message.channel.id)
        answered = await self.services.answerer.ask(question, origin)
        owner = None
        if source == "forum" and isinstance(message.channel, discord.Thread):
            if answered.reply.kind in SILENT_KINDS:
                return
            owner = message.channel.owner_id
        try:
            await delivery.reply_to(message, answered, view=reply_view(answered, owner=owner))
        except Exception as exc:
            await report_message_error(message, exc, tell=False)
        await self.services.alerts.after_reply(
            self.bot, answered, origin, jump_url=message.jump_url
        )

    def _warn_no_content(self) -> None:
        if not self._warned_no_content and not self.bot.intents.message_content:
            self._warned_no_content = True
            log.warning(
                "a message in an answer channel arrived without its text: enable the Message "
                "Content intent in the Developer Portal and set MEDFAQ_MESSAGE_CONTENT=true"
            )


def guild_id_of(message: discord.Message) -> int | None:
    """The guild of a message, also when the guild is not (yet) in the cache; None for DMs."""
    if message.guild is not None:
        return message.guild.id
    return getattr(message.channel, "guild_id", None)


def mentions_me(message: discord.Message, me: discord.ClientUser) -> bool:
    """A direct mention of the bot (not @everyone, not a role, not a reply's ping)."""
    return bool(re.search(rf"<@!?{me.id}>", message.content))


def strip_mention(content: str, my_id: int) -> str:
    return " ".join(re.sub(rf"<@!?{my_id}>", " ", content).split())
