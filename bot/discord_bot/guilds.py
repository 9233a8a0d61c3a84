"""Per-guild settings (answer channels, help forums, the moderators' channel, emergency
numbers), cached.

Read from the store and kept in memory for :data:`CACHE_SECONDS`: a guild lives on one shard,
so one process, and this process's admin commands clear its entry at once; the expiry covers
a guild that moved here from another process (a re-shard, with a shared PostgreSQL) after this
one had read it. Every store call runs in a worker thread (``asyncio.to_thread``): a write may
wait for another process sharing the database.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from bot.runtime.store import Store

log = logging.getLogger(__name__)

ALERT_CHANNEL = "alert_channel"
EMERGENCY_NUMBERS = "emergency_numbers"
CACHE_SECONDS = 60.0
"""How long a guild's settings read from the store are trusted."""
FORUMS = "forums"
"""The help forums, as channel ids separated by spaces (a guild setting: no schema change)."""
MAX_NUMBERS_CHARS = 200
"""A guild's emergency numbers: a line such as "112, or 116 123 for the Samaritans"."""


@dataclass(frozen=True)
class GuildConfig:
    answer_channels: frozenset[int] = frozenset()
    alert_channel: int | None = None
    """Where crisis alerts go; None: no alerts."""
    emergency_numbers: str | None = None
    """Shown in the emergency reply instead of the deployment's; None: the deployment's."""
    forums: frozenset[int] = frozenset()
    """Help forums: each new post is a question, answered in its thread when confident."""


class GuildSettings:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[int, tuple[float, GuildConfig]] = {}

    async def get(self, guild_id: int) -> GuildConfig:
        """The guild's settings; raises if the store cannot be read (nothing is cached then)."""
        now = time.monotonic()
        cached = self._cache.get(guild_id)
        if cached is not None and now - cached[0] < CACHE_SECONDS:
            return cached[1]
        found = await asyncio.to_thread(self._read, guild_id)
        self._cache[guild_id] = (now, found)
        return found

    async def get_or_default(self, guild_id: int) -> GuildConfig:
        """The guild's settings, or the defaults (logged) if the store cannot be read."""
        try:
            return await self.get(guild_id)
        except Exception:
            log.exception("cannot read the settings of guild %s; using the defaults", guild_id)
            return GuildConfig()

    async def set_answer_channel(self, guild_id: int, channel_id: int, *, on: bool) -> bool:
        """Add or remove an answer channel; False if it already was (or was not) one."""
        call = self.store.add_answer_channel if on else self.store.remove_answer_channel
        try:
            return await asyncio.to_thread(call, guild_id, channel_id)
        finally:
            self._cache.pop(guild_id, None)

    async def set_forum(self, guild_id: int, forum_id: int, *, on: bool) -> bool:
        """Add or remove a help forum; False if it already was (or was not) one."""
        self._cache.pop(guild_id, None)  # read-modify-write: start from the store's
        forums = set((await self.get(guild_id)).forums)
        if (forum_id in forums) == on:
            return False
        forums = forums | {forum_id} if on else forums - {forum_id}
        value = " ".join(str(f) for f in sorted(forums)) or None
        await self.set_value(guild_id, FORUMS, value)
        return True

    async def set_value(self, guild_id: int, key: str, value: str | None) -> None:
        """Set (None: clear) one of the guild's settings."""
        try:
            await asyncio.to_thread(self.store.set_guild_setting, guild_id, key, value)
        finally:
            self._cache.pop(guild_id, None)

    def _read(self, guild_id: int) -> GuildConfig:
        alert = self.store.guild_setting(guild_id, ALERT_CHANNEL)
        return GuildConfig(
            answer_channels=frozenset(self.store.answer_channels(guild_id)),
            alert_channel=int(alert) if alert and alert.isdigit() else None,
            emergency_numbers=self.store.guild_setting(guild_id, EMERGENCY_NUMBERS) or None,
            forums=frozenset(
                int(f) for f in (self.store.guild_setting(guild_id, FORUMS) or "").split()
            ),
        )
