"""Send a rendered reply: as a reply to a message, or as the response to an interaction.

Emergency replies to commands are ephemeral (only the person sees them) and are also sent to
the person by direct message. A member's own install of the app, used in a server that has not
added the bot, answers ephemerally unless the member may post external apps' replies there
(Discord would show it to them alone anyway). The bot's ``AllowedMentions.none()`` applies to
every send here.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord.utils import MISSING

from . import texts
from .answering import Answered
from .render import Outgoing, render

log = logging.getLogger(__name__)


def _embeds(part: Outgoing) -> list[discord.Embed]:
    return [part.embed] if part.embed is not None else []


def _view_for(index: int, count: int, view: discord.ui.View | None) -> Any:
    """The view goes under the last part only; MISSING means no view."""
    return view if view is not None and index == count - 1 else MISSING


async def reply_to(
    message: discord.Message, answered: Answered, *, view: discord.ui.View | None
) -> None:
    """Answer ``message`` as a reply (the first part) and follow-on messages (the rest)."""
    parts = render(answered.reply)
    for index, part in enumerate(parts):
        last_view = _view_for(index, len(parts), view)
        # A reply to the question; if that message is gone by now, a plain message instead.
        reference = message.to_reference(fail_if_not_exists=False) if index == 0 else MISSING
        await message.channel.send(
            part.content,
            embeds=_embeds(part),
            view=last_view,
            reference=reference,
            mention_author=False,
        )


async def respond(
    interaction: discord.Interaction,
    answered: Answered,
    *,
    view: discord.ui.View | None,
    echo: str | None = None,
) -> None:
    """Answer an interaction; emergencies privately, and again by DM."""
    emergency = answered.reply.kind == "emergency"
    await send_parts(
        interaction,
        render(answered.reply, echo=echo),
        view=view,
        ephemeral=emergency or only_for_them(interaction),
    )
    in_guild = interaction.guild_id is not None
    if emergency and in_guild and await _send_dm(interaction.user, render(answered.reply)):
        await interaction.followup.send(texts.EMERGENCY_DM_SENT, ephemeral=True)


async def send_parts(
    interaction: discord.Interaction,
    parts: list[Outgoing],
    *,
    view: discord.ui.View | None,
    ephemeral: bool,
) -> None:
    """The response (or, once responded, follow-ups): one message per part, ``view`` last."""
    for index, part in enumerate(parts):
        last_view = _view_for(index, len(parts), view)
        if index == 0 and not interaction.response.is_done():
            await interaction.response.send_message(
                part.content, embeds=_embeds(part), view=last_view, ephemeral=ephemeral
            )
        else:
            await interaction.followup.send(
                part.content or MISSING, embeds=_embeds(part), view=last_view, ephemeral=ephemeral
            )


def only_for_them(interaction: discord.Interaction) -> bool:
    """A user install in a server without the bot, by a member who may not post external
    apps' replies there: Discord shows the reply to that member only."""
    return (
        interaction.guild_id is not None
        and not interaction.is_guild_integration()
        and not interaction.permissions.use_external_apps
    )


async def notice(interaction: discord.Interaction, text: str) -> None:
    """A short private notice (cooldown, refusal, error) in answer to an interaction."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True)
    else:
        await interaction.response.send_message(text, ephemeral=True)


async def _send_dm(user: discord.User | discord.Member, parts: list[Outgoing]) -> bool:
    try:
        for part in parts:
            await user.send(part.content, embeds=_embeds(part))
    except discord.HTTPException as exc:
        log.info("could not DM the emergency reply (DMs closed?): HTTP %s", exc.status)
        return False
    return True
