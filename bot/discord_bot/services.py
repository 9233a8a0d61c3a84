"""What the bot's parts share: the answerer, the cooldown, the store and the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import discord

from bot.engine import Engine
from bot.settings import Settings
from bot.storage import Store

from . import texts
from .answering import Answerer
from .cooldown import Cooldown, Decision


@dataclass
class Services:
    answerer: Answerer
    cooldown: Cooldown
    """For ordinary questions."""
    crisis_cooldown: Cooldown
    """Emergencies have their own budget: a member who asked a lot is still told to get help."""
    store: Store
    settings: Settings

    @property
    def engine(self) -> Engine:
        return self.answerer.engine

    def admit(self, member_id: int, question: str) -> Decision:
        """May ``member_id`` ask ``question`` now? Records it if so."""
        if self.engine.safety.concern(question) == "emergency":
            return self.crisis_cooldown.check(member_id)
        return self.cooldown.check(member_id)


class HasServices(Protocol):
    services: Services


def services_of(interaction: discord.Interaction) -> Services:
    client: HasServices = interaction.client  # type: ignore[assignment]
    return client.services


async def within_cooldown(interaction: discord.Interaction, question: str) -> bool:
    """True if the member may ask now; otherwise a private notice (every time: they asked)."""
    decision = services_of(interaction).admit(interaction.user.id, question)
    if decision.allowed:
        return True
    seconds = max(1, round(decision.retry_after))
    await interaction.response.send_message(texts.COOLDOWN.format(seconds=seconds), ephemeral=True)
    return False
