"""What the bot's parts share: the answerer, the cooldown, the store and the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

import discord

from bot.engine import Engine
from bot.settings import Settings
from bot.storage import Store

from . import texts
from .answering import Answerer
from .cooldown import Cooldown, Decision

log = logging.getLogger(__name__)


@dataclass
class Services:
    answerer: Answerer
    cooldown: Cooldown
    """For ordinary questions."""
    crisis_cooldown: Cooldown
    """Emergencies have their own budget: a member who asked a lot is still told to get help."""
    store: Store
    settings: Settings
    _answer_channels: dict[int, frozenset[int]] = field(default_factory=dict)
    """Per guild, read once from the store; a guild lives on one shard, so one process."""

    @property
    def engine(self) -> Engine:
        return self.answerer.engine

    def admit(self, member_id: int, question: str) -> Decision:
        """May ``member_id`` ask ``question`` now? Records it if so."""
        if self.engine.safety.concern(question) == "emergency":
            return self.crisis_cooldown.check(member_id)
        return self.cooldown.check(member_id)

    def is_answer_channel(self, guild_id: int, channel_id: int) -> bool:
        """Is every message in this channel a question? False if the store cannot say."""
        channels = self._answer_channels.get(guild_id)
        if channels is None:
            try:
                channels = frozenset(self.store.answer_channels(guild_id))
            except Exception:
                log.exception("cannot read the answer channels of guild %s", guild_id)
                return False
            self._answer_channels[guild_id] = channels
        return channel_id in channels

    def set_answer_channel(self, guild_id: int, channel_id: int, *, on: bool) -> bool:
        """Add or remove an answer channel; False if it already was (or was not) one."""
        if on:
            changed = self.store.add_answer_channel(guild_id, channel_id)
        else:
            changed = self.store.remove_answer_channel(guild_id, channel_id)
        self._answer_channels.pop(guild_id, None)
        return changed


class HasServices(Protocol):
    services: Services


def services_of(interaction: discord.Interaction) -> Services:
    client: HasServices = interaction.client  # type: ignore[assignment]
    return client.services


async def may_ask(interaction: discord.Interaction, question: str) -> bool:
    """True if the member may ask now; otherwise a private notice (every time: they asked).

    Outside a server (a DM) only if DMs are allowed; within the cooldown.
    """
    services = services_of(interaction)
    if interaction.guild_id is None and not services.settings.allow_dms:
        await interaction.response.send_message(texts.NO_DMS, ephemeral=True)
        return False
    decision = services.admit(interaction.user.id, question)
    if decision.allowed:
        return True
    seconds = max(1, round(decision.retry_after))
    await interaction.response.send_message(texts.COOLDOWN.format(seconds=seconds), ephemeral=True)
    return False
