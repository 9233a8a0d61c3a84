"""Slash commands for members: ``/ask``, ``/drug``, ``/sideeffects``, ``/about``.

``/ask`` with its option ``question`` is a contract other tools rely on: keep the names.
Autocomplete offers at most 25 suggestions from the same matcher as the answers, and any free
text still works. ``/drug`` and ``/sideeffects`` find the drug with the engine's
:class:`~bot.engine.drugnames.DrugNames`, which also offers their autocomplete. Every command
here works wherever a member is: a server that added the bot, a DM, a group DM, and (with the
app added to their own account) any server.
"""

from __future__ import annotations

import logging
from typing import TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.engine.drugnames import drug_names
from bot.knowledge.loading import KnowledgeBase

from . import delivery, texts
from .delivery import only_for_them
from .services import Services, may_ask, services_of
from .views import origin_of, reply_view

log = logging.getLogger(__name__)
F = TypeVar("F")

CHOICE_LIMIT = 25
CHOICE_TEXT_LIMIT = 100
OVERVIEW = "overview"
"""The /drug topic that is every section at once; the others are the knowledge's topics."""


def everywhere(command: F) -> F:
    """Installable by a server or by a member on their own account; usable in servers, DMs with
    the bot and other DMs and group DMs (Discord checks this, not the bot)."""
    command = app_commands.allowed_installs(guilds=True, users=True)(command)
    return app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(command)


class AskCommands(commands.Cog):
    def __init__(self, services: Services) -> None:
        self.services = services

    @everywhere
    @app_commands.command(name="ask", description="Ask a question about a medication")
    @app_commands.describe(question="Your question, in your own words")
    async def ask(self, interaction: discord.Interaction, question: str) -> None:
        if not await may_ask(interaction, question):
            return
        origin = origin_of(interaction, "slash")
        answered = await self.services.answerer.ask(question, origin)
        await delivery.respond(interaction, answered, view=reply_view(answered), echo=question)
        await self.services.alerts.after_reply(interaction.client, answered, origin)

    @ask.autocomplete("question")
    async def ask_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        choices: list[app_commands.Choice[str]] = []
        for suggestion in services_of(interaction).engine.suggest(current, limit=CHOICE_LIMIT):
            value = suggestion.question
            if len(value) > CHOICE_TEXT_LIMIT:
                value = suggestion.label
            choices.append(
                app_commands.Choice(name=_fit(suggestion.label), value=value[:CHOICE_TEXT_LIMIT])
            )
        return choices[:CHOICE_LIMIT]

    @everywhere
    @app_commands.command(name="drug", description="One topic about one medication")
    @app_commands.describe(name="The medication", topic="What you want to know")
    async def drug(self, interaction: discord.Interaction, name: str, topic: str) -> None:
        await self._topic(interaction, name, topic)

    @drug.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The topics the knowledge declares (read from it, so a new topic appears here)."""
        topics = {**services_of(interaction).engine.topics, OVERVIEW: texts.OVERVIEW}
        typed = current.casefold().strip()
        return [
            app_commands.Choice(name=_fit(label), value=topic)
            for topic, label in topics.items()
            if typed in label.casefold() or typed in topic
        ][:CHOICE_LIMIT]

    @everywhere
    @app_commands.command(name="sideeffects", description="The common side effects of a medication")
    @app_commands.describe(drug="The medication")
    async def sideeffects(self, interaction: discord.Interaction, drug: str) -> None:
        await self._topic(interaction, drug, "side_effects")

    @drug.autocomplete("name")
    @sideeffects.autocomplete("drug")
    async def drug_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        knowledge = services_of(interaction).engine.knowledge
        return drug_choices(knowledge, current)

    async def _topic(self, interaction: discord.Interaction, name: str, topic: str) -> None:
        if not await may_ask(interaction, name):
            return
        answerer = self.services.answerer
        origin = origin_of(interaction, "slash")
        engine = self.services.engine
        drug_id = drug_names(engine.knowledge).find(name)
        if drug_id is None or (topic not in engine.topics and topic != OVERVIEW):
            # Not a known drug, or a topic typed freely: let the engine read it as a question.
            words = "" if topic == OVERVIEW else engine.topics.get(topic, topic)
            answered = await answerer.ask(f"{name} {words}".strip(), origin)
        else:
            answered = await answerer.answer_topic(drug_id, topic, origin, engine=engine)
        await delivery.respond(interaction, answered, view=reply_view(answered))
        await self.services.alerts.after_reply(interaction.client, answered, origin)

    @everywhere
    @app_commands.command(name="about", description="What this bot knows, and its limits")
    async def about(self, interaction: discord.Interaction) -> None:
        holder = self.services.knowledge
        embed = about_embed(holder.engine.knowledge, holder.version)
        await interaction.response.send_message(embed=embed, ephemeral=only_for_them(interaction))


def _fit(text: str) -> str:
    return text if len(text) <= CHOICE_TEXT_LIMIT else text[: CHOICE_TEXT_LIMIT - 1] + "…"


def drug_choices(knowledge: KnowledgeBase, typed: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for a drug field: the engine's :class:`DrugNames` matches, as choices."""
    choices: list[app_commands.Choice[str]] = []
    for drug_id in drug_names(knowledge).matches(typed)[:CHOICE_LIMIT]:
        drug = knowledge.drugs[drug_id]
        brands = f" ({', '.join(drug.brands[:3])})" if drug.brands else ""
        choices.append(app_commands.Choice(name=_fit(drug.name + brands), value=drug_id))
    return choices


def about_embed(knowledge: KnowledgeBase, version: str) -> discord.Embed:
    drugs = ", ".join(sorted(d.name for d in knowledge.drugs.values()))
    embed = discord.Embed(
        title="About medfaq",
        description=(
            "I answer questions about medications from a curated knowledge base. "
            "I am not a doctor or pharmacist."
        ),
        colour=discord.Colour.blurple(),
    )
    embed.add_field(name="Medications", value=_fit_field(drugs or "none"), inline=False)
    embed.add_field(name="FAQs", value=str(knowledge.faq_count))
    embed.add_field(name="Knowledge version", value=version)
    embed.add_field(name="Report a wrong answer", value=texts.REPORT_WRONG, inline=False)
    embed.set_footer(text=knowledge.messages.disclaimer[:2048])
    return embed


def _fit_field(text: str) -> str:
    return text if len(text) <= 1024 else text[:1023] + "…"
