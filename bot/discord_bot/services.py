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
from .cooldown import Cooldown


@dataclass
class Services:
    answerer: Answerer
    cooldown: Cooldown
    store: Store
    settings: Settings

    @property
    def engine(self) -> Engine:
        return self.answerer.engine


class HasServices(Protocol):
    services: Services


def services_of(interaction: discord.Interaction) -> Services:
    client: HasServices = interaction.client  # type: ignore[assignment]
    return client.services


async def within_cooldown(interaction: discord.Interaction) -> bool:
    """True if the member may ask now; otherwise a private notice (every time: they asked)."""
    decision = services_of(interaction).cooldown.check(interaction.user.id)
    if decision.allowed:
        return True
    seconds = max(1, round(decision.retry_after))
    await interaction.response.send_message(texts.COOLDOWN.format(seconds=seconds), ephemeral=True)
    return False
