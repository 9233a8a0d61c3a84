"""Crisis alerts: when a member gets the emergency reply, tell the guild's moderators.

A guild names a moderators' channel with ``/medfaq alerts set``. The alert says where it
happened and links to the member's message (for ``/ask``, which has no message, it names the
channel). It never quotes the message and never mentions the member: a moderator follows the
link. Repeated emergencies from the same member in the same guild are alerted once per
:data:`REPEAT_SECONDS` (the member still gets every emergency reply), so a flood of crisis
words cannot flood the moderators' channel.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable

import discord

from . import texts
from .answering import Answered, Origin
from .guilds import GuildSettings

log = logging.getLogger(__name__)

REPEAT_SECONDS = 300.0
MAX_REMEMBERED = 10_000


class CrisisAlerts:
    def __init__(
        self,
        guilds: GuildSettings,
        *,
        repeat_seconds: float = REPEAT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.guilds = guilds
        self.repeat_seconds = repeat_seconds
        self._clock = clock
        self._last: OrderedDict[tuple[int, int], float] = OrderedDict()

    async def after_reply(
        self,
        client: discord.Client,
        answered: Answered,
        origin: Origin,
        *,
        jump_url: str | None = None,
    ) -> bool:
        """Post an alert if this was an emergency reply in a guild with alerts on; never
        raises (a failed alert is logged). True if an alert went out."""
        if answered.reply.kind != "emergency" or origin.server_id is None:
            return False
        try:
            return await self._post(client, origin, jump_url)
        except Exception:
            log.exception("could not post a crisis alert for guild %s", origin.guild_id)
            return False

    async def _post(self, client: discord.Client, origin: Origin, jump_url: str | None) -> bool:
        assert origin.guild_id is not None
        config = await self.guilds.get_or_default(origin.guild_id)
        if config.alert_channel is None:
            return False
        if not self._due(origin.guild_id, origin.member_id):
            log.info("crisis alert for guild %s folded into a recent one", origin.guild_id)
            return False
        channel = client.get_partial_messageable(config.alert_channel, guild_id=origin.guild_id)
        try:
            await channel.send(alert_text(origin, jump_url))
        except discord.HTTPException as exc:
            log.warning(
                "could not post a crisis alert to channel %s (HTTP %s): check that I can send "
                "messages there, or set another with /medfaq alerts set",
                config.alert_channel,
                exc.status,
            )
            return False
        log.info("crisis alert posted for guild %s", origin.guild_id)
        return True

    def _due(self, guild_id: int, member_id: int) -> bool:
        now = self._clock()
        key = (guild_id, member_id)
        last = self._last.get(key)
        if last is not None and now - last < self.repeat_seconds:
            return False
        self._last[key] = now
        self._last.move_to_end(key)
        while len(self._last) > MAX_REMEMBERED:
            self._last.popitem(last=False)
        return True


def alert_text(origin: Origin, jump_url: str | None) -> str:
    """Where it happened and a link; not the words, not the member."""
    channel = f"<#{origin.channel_id}>" if origin.channel_id else "a channel"
    if jump_url:
        where = texts.ALERT_MESSAGE.format(channel=channel, link=jump_url)
    else:
        command = "a button" if origin.source == "button" else "/ask"
        where = texts.ALERT_COMMAND.format(channel=channel, command=command)
    return f"{texts.ALERT_TITLE} {where} {texts.ALERT_ACTION}"
