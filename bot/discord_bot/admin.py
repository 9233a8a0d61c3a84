"""``/medfaq channel add|remove|list``: where every message is a question (Manage Server).

``default_permissions`` hides the group from other members, and because a server can change
that, the ``has_permissions`` check enforces it on every use.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from . import texts
from .services import Services

AnswerChannel = discord.TextChannel | discord.Thread | discord.VoiceChannel


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class AdminCommands(commands.GroupCog, group_name="medfaq", group_description="Set up medfaq"):
    channel = app_commands.Group(name="channel", description="Answer channels")

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    @channel.command(name="add", description="Answer every message in a channel")
    @app_commands.describe(channel="The channel (default: this one)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def add(
        self, interaction: discord.Interaction, channel: AnswerChannel | None = None
    ) -> None:
        guild_id, channel_id = _where(interaction, channel)
        added = self.services.set_answer_channel(guild_id, channel_id, on=True)
        text = (texts.CHANNEL_ADDED if added else texts.CHANNEL_ALREADY).format(
            channel=f"<#{channel_id}>"
        )
        if not self.services.settings.message_content:
            text = f"{text}\n{texts.NEEDS_MESSAGE_CONTENT}"
        await interaction.response.send_message(text, ephemeral=True)

    @channel.command(name="remove", description="Stop answering every message in a channel")
    @app_commands.describe(channel="The channel (default: this one)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def remove(
        self, interaction: discord.Interaction, channel: AnswerChannel | None = None
    ) -> None:
        guild_id, channel_id = _where(interaction, channel)
        removed = self.services.set_answer_channel(guild_id, channel_id, on=False)
        text = texts.CHANNEL_REMOVED if removed else texts.CHANNEL_NOT_ONE
        await interaction.response.send_message(
            text.format(channel=f"<#{channel_id}>"), ephemeral=True
        )

    @channel.command(name="list", description="List the answer channels")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def list_(self, interaction: discord.Interaction) -> None:
        guild_id, _ = _where(interaction, None)
        channels = sorted(self.services.store.answer_channels(guild_id))
        if channels:
            text = texts.CHANNEL_LIST.format(channels=", ".join(f"<#{c}>" for c in channels))
        else:
            text = texts.CHANNEL_NONE
        if channels and not self.services.settings.message_content:
            text = f"{text}\n{texts.NEEDS_MESSAGE_CONTENT}"
        await interaction.response.send_message(text, ephemeral=True)


def _where(interaction: discord.Interaction, channel: AnswerChannel | None) -> tuple[int, int]:
    if interaction.guild_id is None or interaction.channel_id is None:
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id, channel.id if channel else interaction.channel_id
