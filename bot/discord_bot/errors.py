"""The one error policy: tell the person briefly, log the error, stay up.

Used by the slash command tree, the buttons and the message listener. Expected refusals (a
missing permission, a command used outside a server) get their own short message and are not
logged as errors.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from . import texts

log = logging.getLogger(__name__)


class NotManagerOrOwner(app_commands.CheckFailure):
    """The member has neither Manage Server nor owns the bot."""


def explain_refusal(error: Exception) -> str | None:
    """The message for an expected refusal, or None for a real error."""
    if isinstance(error, NotManagerOrOwner):
        return texts.NEEDS_OWNER_OR_MANAGE
    if isinstance(error, app_commands.MissingPermissions):
        return texts.NEEDS_MANAGE_SERVER
    if isinstance(error, app_commands.NoPrivateMessage):
        return texts.GUILD_ONLY
    if isinstance(error, app_commands.CheckFailure):
        return texts.NEEDS_MANAGE_SERVER
    return None


async def report_interaction_error(interaction: discord.Interaction, error: Exception) -> None:
    refusal = explain_refusal(error)
    if refusal is None:
        name = interaction.command.qualified_name if interaction.command else interaction.type
        log.error("interaction %s failed", name, exc_info=error)
    await _tell(interaction, refusal or texts.ERROR)


async def report_message_error(
    message: discord.Message, error: Exception, *, tell: bool = True
) -> None:
    """Log ``error``; tell the member unless ``tell`` is off (the reply itself failed, or went
    out already: a second message would only add noise)."""
    if isinstance(error, discord.Forbidden):
        log.warning("no permission to answer in channel %s: %s", message.channel.id, error.text)
        return
    log.error("answering message %s failed", message.id, exc_info=error)
    if not tell:
        return
    try:
        await message.reply(texts.ERROR, mention_author=False)
    except discord.HTTPException:
        log.warning("could not tell the member about the error either")


async def _tell(interaction: discord.Interaction, text: str) -> None:
    if interaction.type is discord.InteractionType.autocomplete:
        return
    if interaction.response.is_done():
        return  # the member got a response already; an error after it would only confuse
    try:
        await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the member about the error either")


class Tree(app_commands.CommandTree[discord.Client]):
    """The command tree with the bot's error policy; every command counts as in flight (see
    :mod:`.inflight`) while it runs."""

    async def _call(self, interaction: discord.Interaction) -> None:
        services = getattr(self.client, "services", None)
        if services is None:
            await super()._call(interaction)
            return
        async with services.in_flight.track():
            await super()._call(interaction)

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        original = getattr(error, "original", None)
        await report_interaction_error(
            interaction, original if isinstance(original, Exception) else error
        )
