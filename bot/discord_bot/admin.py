"""``/medfaq ...``: what a server's admins set up (Manage Server).

- ``channel add|remove|list``: where every message is a question.
- ``forum add|remove|list``: help forums, where each new post is a question.
- ``alerts set|off``: the moderators' channel for crisis alerts.
- ``region set|clear``: the emergency numbers the emergency reply names in this server.
- ``reload``: reload the knowledge files (Manage Server, or the bot's owner); a broken file
  keeps the last good knowledge and the errors are shown to whoever asked.

Only a server's install of the bot has these, and only in that server (never a member's own
install of the app, never a DM). ``default_permissions`` hides the group from other members,
and because a server can change that, a check enforces it on every use.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.runtime.reloading import ReloadResult

from . import texts
from .errors import NotManagerOrOwner
from .guilds import ALERT_CHANNEL, EMERGENCY_NUMBERS, MAX_NUMBERS_CHARS
from .render import MESSAGE_LIMIT, escape_user_text
from .services import Services

log = logging.getLogger(__name__)

AnswerChannel = discord.TextChannel | discord.Thread | discord.VoiceChannel
AlertChannel = discord.TextChannel | discord.Thread
PROBLEM_LIMIT = 300
"""One problem's line in the reload message is cut to this (``medfaq check`` shows it all)."""


async def manager_or_owner(interaction: discord.Interaction) -> bool:
    if interaction.permissions.manage_guild:
        return True
    client = interaction.client
    if isinstance(client, commands.Bot | commands.AutoShardedBot) and await client.is_owner(
        interaction.user
    ):
        return True
    raise NotManagerOrOwner()


@app_commands.guild_only()
@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.default_permissions(manage_guild=True)
class AdminCommands(commands.GroupCog, group_name="medfaq", group_description="Set up medfaq"):
    channel = app_commands.Group(name="channel", description="Answer channels")
    alerts = app_commands.Group(name="alerts", description="Crisis alerts for moderators")
    region = app_commands.Group(name="region", description="Emergency numbers in this server")
    forum = app_commands.Group(name="forum", description="Help forums")

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    # ---- answer channels ---------------------------------------------------------------

    @channel.command(name="add", description="Answer every message in a channel")
    @app_commands.describe(channel="The channel (default: this one)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def add(
        self, interaction: discord.Interaction, channel: AnswerChannel | None = None
    ) -> None:
        guild_id, channel_id = _where(interaction, channel)
        added = await self.services.guilds.set_answer_channel(guild_id, channel_id, on=True)
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
        removed = await self.services.guilds.set_answer_channel(guild_id, channel_id, on=False)
        text = texts.CHANNEL_REMOVED if removed else texts.CHANNEL_NOT_ONE
        await interaction.response.send_message(
            text.format(channel=f"<#{channel_id}>"), ephemeral=True
        )

    @channel.command(name="list", description="List the answer channels")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def list_(self, interaction: discord.Interaction) -> None:
        guild_id, _ = _where(interaction, None)
        channels = sorted((await self.services.guilds.get(guild_id)).answer_channels)
        if channels:
            text = texts.CHANNEL_LIST.format(channels=", ".join(f"<#{c}>" for c in channels))
        else:
            text = texts.CHANNEL_NONE
        if channels and not self.services.settings.message_content:
            text = f"{text}\n{texts.NEEDS_MESSAGE_CONTENT}"
        await interaction.response.send_message(text, ephemeral=True)

    # ---- help forums -------------------------------------------------------------------

    @forum.command(name="add", description="Answer new posts in a help forum")
    @app_commands.describe(forum="The forum channel")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def forum_add(
        self, interaction: discord.Interaction, forum: discord.ForumChannel
    ) -> None:
        guild_id, forum_id = _where(interaction, forum)
        added = await self.services.guilds.set_forum(guild_id, forum_id, on=True)
        text = (texts.FORUM_ADDED if added else texts.FORUM_ALREADY).format(forum=f"<#{forum_id}>")
        if not self.services.settings.message_content:
            text = f"{text}\n{texts.FORUM_TITLES_ONLY}"
        await interaction.response.send_message(text, ephemeral=True)

    @forum.command(name="remove", description="Stop answering posts in a help forum")
    @app_commands.describe(forum="The forum channel")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def forum_remove(
        self, interaction: discord.Interaction, forum: discord.ForumChannel
    ) -> None:
        guild_id, forum_id = _where(interaction, forum)
        removed = await self.services.guilds.set_forum(guild_id, forum_id, on=False)
        text = texts.FORUM_REMOVED if removed else texts.FORUM_NOT_ONE
        await interaction.response.send_message(text.format(forum=f"<#{forum_id}>"), ephemeral=True)

    @forum.command(name="list", description="List the help forums")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def forum_list(self, interaction: discord.Interaction) -> None:
        guild_id, _ = _where(interaction, None)
        forums = sorted((await self.services.guilds.get(guild_id)).forums)
        text = (
            texts.FORUM_LIST.format(forums=", ".join(f"<#{f}>" for f in forums))
            if forums
            else texts.FORUM_NONE
        )
        await interaction.response.send_message(text, ephemeral=True)

    # ---- crisis alerts -----------------------------------------------------------------

    @alerts.command(name="set", description="Post crisis alerts in a moderators' channel")
    @app_commands.describe(channel="The moderators' channel")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def alerts_set(self, interaction: discord.Interaction, channel: AlertChannel) -> None:
        guild_id, channel_id = _where(interaction, channel)
        await self.services.guilds.set_value(guild_id, ALERT_CHANNEL, str(channel_id))
        text = texts.ALERTS_SET.format(channel=f"<#{channel_id}>")
        me = interaction.guild.me if interaction.guild else None
        if me is not None and not channel.permissions_for(me).send_messages:
            text = f"{text}\n{texts.ALERTS_CANNOT_SEND.format(channel=f'<#{channel_id}>')}"
        await interaction.response.send_message(text, ephemeral=True)

    @alerts.command(name="off", description="Stop posting crisis alerts")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def alerts_off(self, interaction: discord.Interaction) -> None:
        guild_id, _ = _where(interaction, None)
        was_on = (await self.services.guilds.get(guild_id)).alert_channel is not None
        await self.services.guilds.set_value(guild_id, ALERT_CHANNEL, None)
        text = texts.ALERTS_OFF if was_on else texts.ALERTS_WERE_OFF
        await interaction.response.send_message(text, ephemeral=True)

    # ---- emergency numbers -------------------------------------------------------------

    @region.command(name="set", description="The emergency numbers to name in this server")
    @app_commands.describe(numbers="e.g. 112, or 116 123 for the Samaritans")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def region_set(self, interaction: discord.Interaction, numbers: str) -> None:
        guild_id, _ = _where(interaction, None)
        cleaned = " ".join(numbers.split())
        if not cleaned:
            text = texts.REGION_EMPTY
        elif len(cleaned) > MAX_NUMBERS_CHARS:
            text = texts.REGION_TOO_LONG.format(limit=MAX_NUMBERS_CHARS)
        else:
            await self.services.guilds.set_value(guild_id, EMERGENCY_NUMBERS, cleaned)
            text = texts.REGION_SET.format(numbers=escape_user_text(cleaned))
        await interaction.response.send_message(text, ephemeral=True)

    @region.command(name="clear", description="Name the default emergency numbers again")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def region_clear(self, interaction: discord.Interaction) -> None:
        guild_id, _ = _where(interaction, None)
        await self.services.guilds.set_value(guild_id, EMERGENCY_NUMBERS, None)
        await interaction.response.send_message(texts.REGION_CLEARED, ephemeral=True)

    # ---- knowledge -----------------------------------------------------------------------

    @app_commands.command(name="reload", description="Reload the knowledge files")
    @app_commands.check(manager_or_owner)
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        log.info("knowledge reload asked for in guild %s", interaction.guild_id)
        try:
            result = await self.services.reload()
        except Exception:
            # Not a validation problem (those are a ReloadResult): the answer is still owed.
            log.exception("knowledge reload failed; still answering from the last good")
            await interaction.followup.send(texts.RELOAD_FAILED, ephemeral=True)
            return
        await interaction.followup.send(reload_message(result), ephemeral=True)


def reload_message(result: ReloadResult, limit: int = MESSAGE_LIMIT) -> str:
    """The outcome for whoever asked: the new summary, or the ``file:line`` problems (as
    many as fit in one message, then how many more)."""
    if result.ok:
        return texts.RELOAD_OK.format(summary=result.summary)
    text = texts.RELOAD_REFUSED.format(summary=result.summary)
    problems = [f"• {escape_user_text(_shorten(str(p)))}" for p in result.problems]
    for index, line in enumerate(problems):
        left = len(problems) - index
        tail = "" if left == 1 else "\n" + texts.RELOAD_MORE.format(count=left - 1)
        if len(text) + 1 + len(line) + len(tail) > limit:
            return f"{text}\n{texts.RELOAD_MORE.format(count=left)}"
        text = f"{text}\n{line}"
    return text


def _shorten(text: str, limit: int = PROBLEM_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(
    interaction: discord.Interaction, channel: discord.abc.Snowflake | None
) -> tuple[int, int]:
    if interaction.guild_id is None or interaction.channel_id is None:
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id, channel.id if channel else interaction.channel_id
