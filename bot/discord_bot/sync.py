"""Sync slash commands to Discord only when they changed.

A hash of the command payload is kept in the question database (a guild setting; guild 0
stands for the global commands), per application, so a restart with the same commands makes
no sync call. With ``MEDFAQ_DEV_GUILD`` the commands go to that guild only (instant updates).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging

import discord
from discord import app_commands

from bot.runtime.store import Store

log = logging.getLogger(__name__)

GLOBAL_SCOPE = 0


def payload_hash(
    tree: app_commands.CommandTree[discord.Client], guild: discord.Object | None
) -> str:
    commands = tree._get_all_commands(guild=guild)
    payload = sorted((c.to_dict(tree) for c in commands), key=lambda c: str(c.get("name")))
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


async def sync_if_changed(
    tree: app_commands.CommandTree[discord.Client],
    store: Store,
    *,
    application_id: int,
    dev_guild: int | None,
) -> bool:
    """Sync the commands if their payload changed since the last sync; True if it synced."""
    guild = discord.Object(dev_guild) if dev_guild else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    digest = payload_hash(tree, guild)
    scope = dev_guild or GLOBAL_SCOPE
    key = f"commands_hash:{application_id}"
    if await asyncio.to_thread(store.guild_setting, scope, key) == digest:
        log.info("slash commands unchanged; not syncing")
        return False
    synced = await tree.sync(guild=guild)
    await asyncio.to_thread(store.set_guild_setting, scope, key, digest)
    where = f"guild {dev_guild}" if dev_guild else "all servers (may take up to an hour to show)"
    log.info("synced %d slash commands to %s", len(synced), where)
    return True
