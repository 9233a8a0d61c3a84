"""Buttons under replies: clarify choices and helpful / not helpful feedback.

Both are :class:`discord.ui.DynamicItem` buttons whose ``custom_id`` carries what a click needs
(the question log id, and for a choice the question to ask), so they keep working after the
bot restarts. A choice's question is cut to fit the 100-character ``custom_id``; while the
process lives, the full question is remembered and used instead.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from typing import Any

import discord

from bot.engine.replies import Suggestion

from . import delivery, texts
from .answering import Answered, Origin, Source
from .errors import report_interaction_error
from .render import MAX_CHOICES
from .services import may_ask, services_of

log = logging.getLogger(__name__)

CUSTOM_ID_LIMIT = 100
LABEL_LIMIT = 80
_FULL_QUESTIONS: OrderedDict[str, str] = OrderedDict()
_REMEMBERED = 5_000


def reply_view(answered: Answered, *, owner: int | None = None) -> discord.ui.View | None:
    """Choice buttons for a clarification (only ``owner`` may pick, if given: a forum post's
    author), feedback buttons for an answer, else none."""
    reply = answered.reply
    if reply.kind == "clarify" and reply.suggestions:
        view = discord.ui.View(timeout=None)
        for index, suggestion in enumerate(reply.suggestions[:MAX_CHOICES]):
            view.add_item(PickButton.make(answered.question_id, index, suggestion, owner=owner))
        return view
    if reply.kind == "answer" and answered.question_id is not None:
        view = discord.ui.View(timeout=None)
        view.add_item(FeedbackButton.make(answered.question_id, helpful=True))
        view.add_item(FeedbackButton.make(answered.question_id, helpful=False))
        return view
    return None


def origin_of(interaction: discord.Interaction, source: Source) -> Origin:
    """Who asked where; ``in_server``: the server (if any) added the bot itself, so its settings
    apply (a member's own install of the app in another server is not)."""
    return Origin(
        source,
        interaction.user.id,
        interaction.guild_id,
        interaction.channel_id,
        locale=str(interaction.locale),
        in_server=interaction.guild_id is not None and interaction.is_guild_integration(),
    )


class PickButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=re.compile(
        r"medfaq:pick:(?P<qid>\d*):(?P<index>\d):(?:u(?P<owner>\d+):)?(?P<question>.+)", re.DOTALL
    ),
):
    def __init__(
        self,
        question_id: int | None,
        custom_id: str,
        label: str,
        question: str,
        owner: int | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:LABEL_LIMIT], style=discord.ButtonStyle.primary, custom_id=custom_id
            )
        )
        self.question_id = question_id
        self.question = question
        self.owner = owner
        """Only this member may pick (a forum post's author); None: anyone."""

    @classmethod
    def make(
        cls, question_id: int | None, index: int, suggestion: Suggestion, owner: int | None = None
    ) -> PickButton:
        question = suggestion.question.strip() or suggestion.label
        prefix = f"medfaq:pick:{'' if question_id is None else question_id}:{index}:"
        if owner is not None:
            prefix += f"u{owner}:"
        custom_id = prefix + question[: CUSTOM_ID_LIMIT - len(prefix)]
        if len(custom_id) - len(prefix) < len(question):
            _remember(custom_id, question)
        return cls(question_id, custom_id, suggestion.label, question, owner)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PickButton:
        qid = int(match["qid"]) if match["qid"] else None
        custom_id = match.group(0)
        question = _FULL_QUESTIONS.get(custom_id, match["question"])
        label = item.label if isinstance(item, discord.ui.Button) and item.label else question
        owner = int(match["owner"]) if match["owner"] else None
        return cls(qid, custom_id, label, question, owner)

    async def callback(self, interaction: discord.Interaction) -> None:
        async with services_of(interaction).in_flight.track():
            await self._clicked(interaction)

    async def _clicked(self, interaction: discord.Interaction) -> None:
        try:
            if self.owner is not None and interaction.user.id != self.owner:
                await delivery.notice(interaction, texts.ONLY_AUTHOR)
                return
            if not await may_ask(interaction, self.question):
                return
            services = services_of(interaction)
            choice = self.item.label or self.question
            origin = origin_of(interaction, "button")
            answered = await services.answerer.pick(self.question_id, choice, self.question, origin)
            await delivery.respond(interaction, answered, view=reply_view(answered))
            await services.alerts.after_reply(interaction.client, answered, origin)
        except Exception as exc:
            await report_interaction_error(interaction, exc)


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"medfaq:fb:(?P<qid>\d+):(?P<helpful>[01])",
):
    def __init__(self, question_id: int, helpful: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label=texts.HELPFUL if helpful else texts.NOT_HELPFUL,
                emoji="👍" if helpful else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"medfaq:fb:{question_id}:{int(helpful)}",
            )
        )
        self.question_id = question_id
        self.helpful = helpful

    @classmethod
    def make(cls, question_id: int, *, helpful: bool) -> FeedbackButton:
        return cls(question_id, helpful)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> FeedbackButton:
        return cls(int(match["qid"]), match["helpful"] == "1")

    async def callback(self, interaction: discord.Interaction) -> None:
        async with services_of(interaction).in_flight.track():
            await self._clicked(interaction)

    async def _clicked(self, interaction: discord.Interaction) -> None:
        try:
            answerer = services_of(interaction).answerer
            await answerer.feedback(self.question_id, self.helpful, interaction.user.id)
            thanks = texts.THANKS_HELPFUL if self.helpful else texts.THANKS_NOT_HELPFUL
            await delivery.notice(interaction, thanks)
        except Exception as exc:
            await report_interaction_error(interaction, exc)


def _remember(custom_id: str, question: str) -> None:
    _FULL_QUESTIONS[custom_id] = question
    _FULL_QUESTIONS.move_to_end(custom_id)
    while len(_FULL_QUESTIONS) > _REMEMBERED:
        _FULL_QUESTIONS.popitem(last=False)
