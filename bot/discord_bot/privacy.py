"""``/privacy``: what the bot keeps about the member who asks, and deleting it.

The question log keeps nothing but a salted hash of a member's id and, if the deployment keeps
question text, the words they asked. ``/privacy`` shows that member (only them) the hash, how
many questions are logged under it and the latest few; **Delete all** asks to confirm, then
deletes every row under the hash (with its feedback and choices) and forgets the member's
follow-up context. The buttons act on whoever presses them, so nobody can delete another's rows.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import UTC, datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.runtime.store import AskerSummary

from . import texts
from .commands import everywhere
from .errors import report_interaction_error
from .render import escape_user_text
from .services import Services, services_of

log = logging.getLogger(__name__)

LATEST = 3
QUOTE_LIMIT = 120


class PrivacyCommands(commands.Cog):
    def __init__(self, services: Services) -> None:
        self.services = services

    @everywhere
    @app_commands.command(name="privacy", description="See and delete what this bot keeps on you")
    async def privacy(self, interaction: discord.Interaction) -> None:
        store = self.services.store
        asker = store.asker_hash(interaction.user.id)
        summary = await asyncio.to_thread(store.asker_summary, asker, LATEST)
        view = None
        if summary.questions:
            view = discord.ui.View(timeout=None)
            view.add_item(DeleteButton(confirmed=False))
        text = summary_text(summary, keeps_text=store.store_question_text)
        await interaction.response.send_message(
            text, view=view or discord.utils.MISSING, ephemeral=True
        )


def summary_text(summary: AskerSummary, *, keeps_text: bool) -> str:
    lines = [texts.PRIVACY_INTRO.format(hash=summary.asker_hash)]
    if not summary.questions:
        lines.append(texts.PRIVACY_NOTHING)
        return "\n".join(lines)
    lines.append(
        texts.PRIVACY_COUNTS.format(questions=summary.questions, with_text=summary.with_text)
    )
    if not keeps_text:
        lines.append(texts.PRIVACY_NO_TEXT_NOW)
    for asked_at, question in summary.latest:
        when = datetime.fromtimestamp(asked_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
        words = _quote(question) if question is not None else texts.PRIVACY_WORDS_NOT_KEPT
        lines.append(f"• {when}: {words}")
    lines.append(texts.PRIVACY_DELETE_HINT)
    return "\n".join(lines)


def _quote(question: str) -> str:
    one_line = " ".join(question.split())
    if len(one_line) > QUOTE_LIMIT:
        one_line = one_line[: QUOTE_LIMIT - 1] + "…"
    return f'"{escape_user_text(one_line)}"'


class DeleteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"medfaq:privacy:(?P<step>delete|confirm)",
):
    """**Delete all**, then **Yes, delete everything**: both act on the member who presses."""

    def __init__(self, *, confirmed: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label=texts.PRIVACY_CONFIRM if confirmed else texts.PRIVACY_DELETE,
                style=discord.ButtonStyle.danger,
                custom_id=f"medfaq:privacy:{'confirm' if confirmed else 'delete'}",
            )
        )
        self.confirmed = confirmed

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> DeleteButton:
        return cls(confirmed=match["step"] == "confirm")

    async def callback(self, interaction: discord.Interaction) -> None:
        async with services_of(interaction).in_flight.track():
            await self._clicked(interaction)

    async def _clicked(self, interaction: discord.Interaction) -> None:
        try:
            if not self.confirmed:
                view = discord.ui.View(timeout=None)
                view.add_item(DeleteButton(confirmed=True))
                await interaction.response.edit_message(content=texts.PRIVACY_SURE, view=view)
                return
            services = services_of(interaction)
            store = services.store
            deleted = await asyncio.to_thread(
                store.delete_asker, store.asker_hash(interaction.user.id)
            )
            services.answerer.follow_ups.forget(interaction.user.id)
            log.info("a member deleted their %d logged question(s) with /privacy", deleted)
            text = texts.PRIVACY_DELETED.format(questions=deleted)
            await interaction.response.edit_message(content=text, view=None)
        except Exception as exc:
            await report_interaction_error(interaction, exc)
