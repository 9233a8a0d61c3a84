"""What the bot's parts share: the answerer, the knowledge, cooldowns, guild settings, alerts."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Protocol

import discord

from bot.engine.engine import Engine
from bot.runtime.metrics import Metrics
from bot.runtime.reloading import KnowledgeHolder, ReloadResult
from bot.runtime.settings import Settings
from bot.runtime.store import Store

from . import texts
from .alerts import CrisisAlerts
from .answering import Answerer
from .cooldown import Cooldown, Decision
from .guilds import GuildSettings
from .inflight import InFlight

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
    alerts: CrisisAlerts = field(init=False)
    in_flight: InFlight = field(init=False, default_factory=InFlight)
    """Handlers answering now; a shutdown waits for them."""
    _reloading: asyncio.Lock = field(init=False, default_factory=asyncio.Lock, repr=False)

    def __post_init__(self) -> None:
        self.alerts = CrisisAlerts(self.guilds)

    @property
    def knowledge(self) -> KnowledgeHolder:
        return self.answerer.knowledge

    @property
    def metrics(self) -> Metrics:
        return self.answerer.metrics

    @property
    def guilds(self) -> GuildSettings:
        return self.answerer.guilds

    @property
    def engine(self) -> Engine:
        """The engine in use now; read it for every question (a reload swaps it)."""
        return self.answerer.engine

    def admit(self, member_id: int, question: str) -> Decision:
        """May ``member_id`` ask ``question`` now? Records it if so."""
        if self.engine.concern(question) == "emergency":
            decision = self.crisis_cooldown.check(member_id)
        else:
            decision = self.cooldown.check(member_id)
        if not decision.allowed:
            self.metrics.cooldown_refusals.inc()
        return decision

    async def is_answer_channel(self, guild_id: int, channel_id: int) -> bool:
        """Is every message in this channel a question? False if the store cannot say."""
        try:
            config = await self.guilds.get(guild_id)
        except Exception:
            self.metrics.store_errors.labels(operation="guild_settings").inc()
            log.exception("cannot read the answer channels of guild %s", guild_id)
            return False
        return channel_id in config.answer_channels

    async def forums(self, guild_id: int) -> frozenset[int]:
        """The guild's help forums; none if the store cannot say."""
        try:
            return (await self.guilds.get(guild_id)).forums
        except Exception:
            log.exception("cannot read the help forums of guild %s", guild_id)
            return frozenset()

    async def reload(self) -> ReloadResult:
        """Reload the knowledge in a worker thread; one reload at a time."""
        async with self._reloading:
            return await self.knowledge.reload_async()


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
