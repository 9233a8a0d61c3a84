""" "Ask medfaq": a message context-menu command that answers the clicked message's text.

Right-click (or long-press) any message, **Apps > Ask medfaq**: the reply is shown only to the
person who clicked, with a **Post in channel** button that posts it for everyone (the
disclaimer stays, nobody is pinged). Discord sends the clicked message's text with the
interaction, so this needs no message content intent. When the message reads as an emergency,
the person who clicked is told that someone else may be in danger and how to help, before the
emergency reply, and the server's crisis alert fires as for a direct question.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from typing import Any

import discord
from discord import app_commands

from . import delivery, texts
from .answering import Answered
from .commands import everywhere
from .errors import report_interaction_error
from .render import Outgoing, render
from .services import may_ask, services_of
from .views import origin_of

log = logging.getLogger(__name__)

NAME = "Ask medfaq"
_REMEMBERED = 2_000
_TO_POST: OrderedDict[str, tuple[Answered, str]] = OrderedDict()
"""Replies that may still be posted, by the key in their button (while the process lives)."""


def ask_menu() -> app_commands.ContextMenu:
    menu = app_commands.ContextMenu(name=NAME, callback=ask_about_message)
    return everywhere(menu)


async def ask_about_message(interaction: discord.Interaction, message: discord.Message) -> None:
    services = services_of(interaction)
    me = interaction.client.user
    question = " ".join(re.sub(rf"<@!?{me.id if me else 0}>", " ", message.content).split())
    if not question:
        await delivery.notice(interaction, texts.MENU_NO_TEXT)
        return
    if not await may_ask(interaction, question):
        return
    origin = origin_of(interaction, "menu")
    answered = await services.answerer.ask(question, origin)
    emergency = answered.reply.kind == "emergency"
    lead = services.engine.knowledge.messages.emergency_for_someone_else if emergency else None
    view = None if emergency else post_view(str(interaction.id), answered, message.jump_url)
    await delivery.send_parts(
        interaction, render(answered.reply, lead=lead), view=view, ephemeral=True
    )
    await services.alerts.after_reply(
        interaction.client, answered, origin, jump_url=message.jump_url
    )


def post_view(key: str, answered: Answered, jump_url: str) -> discord.ui.View:
    _TO_POST[key] = (answered, jump_url)
    _TO_POST.move_to_end(key)
    while len(_TO_POST) > _REMEMBERED:
        _TO_POST.popitem(last=False)
    view = discord.ui.View(timeout=None)
    view.add_item(PostButton(key))
    return view


class PostButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"medfaq:post:(?P<key>\d+)"
):
    """Posts a private "Ask medfaq" reply in the channel, once."""

    def __init__(self, key: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=texts.POST_IN_CHANNEL,
                style=discord.ButtonStyle.primary,
                custom_id=f"medfaq:post:{key}",
            )
        )
        self.key = key

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PostButton:
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:
        async with services_of(interaction).in_flight.track():
            await self._clicked(interaction)

    async def _clicked(self, interaction: discord.Interaction) -> None:
        try:
            found = _TO_POST.pop(self.key, None)
            if found is None:
                await delivery.notice(interaction, texts.POST_GONE)
                return
            answered, jump_url = found
            parts = render(answered.reply)
            about = texts.POSTED_ABOUT.format(link=jump_url)
            parts[0] = Outgoing(content=about, embed=parts[0].embed)
            await delivery.send_parts(
                interaction, parts, view=None, ephemeral=delivery.only_for_them(interaction)
            )
        except Exception as exc:
            await report_interaction_error(interaction, exc)
