"""Slash commands for members: ``/ask``, ``/drug``, ``/sideeffects``, ``/about``.

``/ask`` with its option ``question`` is a contract other tools rely on: keep the names.
Autocomplete offers at most 25 suggestions from the same matcher as the answers, and any free
text still works.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands
from rapidfuzz import fuzz, process

from bot.knowledge.loading import KnowledgeBase

from . import delivery, texts
from .services import Services, may_ask, services_of
from .views import origin_of, reply_view

log = logging.getLogger(__name__)

CHOICE_LIMIT = 25
CHOICE_TEXT_LIMIT = 100
OVERVIEW = "overview"
"""The /drug topic that is every section at once; the others are the knowledge's topics."""


class AskCommands(commands.Cog):
    def __init__(self, services: Services) -> None:
        self.services = services

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
        drug_id = find_drug(engine.knowledge, name)
        if drug_id is None or (topic not in engine.topics and topic != OVERVIEW):
            # Not a known drug, or a topic typed freely: let the engine read it as a question.
            words = "" if topic == OVERVIEW else engine.topics.get(topic, topic)
            answered = await answerer.ask(f"{name} {words}".strip(), origin)
        else:
            answered = await answerer.answer_topic(drug_id, topic, origin, engine=engine)
        await delivery.respond(interaction, answered, view=reply_view(answered))
        await self.services.alerts.after_reply(interaction.client, answered, origin)

    @app_commands.command(name="about", description="What this bot knows, and its limits")
    async def about(self, interaction: discord.Interaction) -> None:
        embed = about_embed(self.services.engine.knowledge)
        await interaction.response.send_message(embed=embed)


def _fit(text: str) -> str:
    return text if len(text) <= CHOICE_TEXT_LIMIT else text[: CHOICE_TEXT_LIMIT - 1] + "…"


def drug_choices(knowledge: KnowledgeBase, typed: str) -> list[app_commands.Choice[str]]:
    """Known drugs whose name, generic name or brand contains what is typed; if none does,
    the closest names (typos: "gabapentn")."""
    needle = typed.casefold().strip()
    names = {
        drug_id: [
            n.casefold() for n in (drug.name, drug.generic_name, *drug.brands, *drug.misspellings)
        ]
        for drug_id, drug in knowledge.drugs.items()
    }
    found = [d for d, ns in names.items() if not needle or any(needle in n for n in ns)]
    if not found:
        flat = {(d, i): n for d, ns in names.items() for i, n in enumerate(ns)}
        matches = process.extract(
            needle, flat, scorer=fuzz.WRatio, limit=CHOICE_LIMIT * 4, score_cutoff=70
        )
        found = list(dict.fromkeys(key[0] for _, _, key in matches))
    else:
        found.sort(key=lambda d: knowledge.drugs[d].name.casefold())
    choices: list[app_commands.Choice[str]] = []
    for drug_id in found[:CHOICE_LIMIT]:
        drug = knowledge.drugs[drug_id]
        brands = f" ({', '.join(drug.brands[:3])})" if drug.brands else ""
        choices.append(app_commands.Choice(name=_fit(drug.name + brands), value=drug_id))
    return choices


def find_drug(knowledge: KnowledgeBase, typed: str) -> str | None:
    """The id of the drug named exactly (id, name, generic name or brand), else None."""
    wanted = typed.casefold().strip()
    for drug_id, drug in knowledge.drugs.items():
        names = [drug_id, drug.name, drug.generic_name, *drug.brands]
        if wanted in (n.casefold() for n in names):
            return drug_id
    return None


_VERSION: list[tuple[KnowledgeBase, str]] = []
"""The last knowledge fingerprinted and its version (a reload brings a new object)."""


def knowledge_version(knowledge: KnowledgeBase) -> str:
    """A short fingerprint of the knowledge files, so admins can tell which edition answers."""
    if _VERSION and _VERSION[0][0] is knowledge:
        return _VERSION[0][1]
    digest = hashlib.sha256()
    for path in sorted(Path(knowledge.root).rglob("*.yaml")):
        digest.update(path.relative_to(knowledge.root).as_posix().encode())
        digest.update(path.read_bytes())
    version = digest.hexdigest()[:12]
    _VERSION[:] = [(knowledge, version)]
    return version


def about_embed(knowledge: KnowledgeBase) -> discord.Embed:
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
    embed.add_field(name="Knowledge version", value=knowledge_version(knowledge))
    embed.add_field(name="Report a wrong answer", value=texts.REPORT_WRONG, inline=False)
    embed.set_footer(text=knowledge.messages.disclaimer[:2048])
    return embed


def _fit_field(text: str) -> str:
    return text if len(text) <= 1024 else text[:1023] + "…"
