"""Ask the engine for a member, with their follow-up context, and log every question.

The one place where a question from Discord (a mention, an answer channel, a DM, a slash
command or a button) becomes a :class:`~bot.replies.Reply` and a row in the question log.
The engine is read from the :class:`~bot.reloading.KnowledgeHolder` for every question, so a
reload takes effect at once. An emergency reply in a guild that set its own emergency numbers
shows those. The question log is written from a worker thread (a write may wait for another
process sharing the database); a failing log is logged and never stops an answer.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from bot.engine.engine import Engine
from bot.engine.replies import MAX_TEXT, Reply
from bot.runtime.metrics import Metrics
from bot.runtime.reloading import KnowledgeHolder
from bot.runtime.store import QuestionRecord, Store

from .followups import FollowUps
from .guilds import GuildSettings

log = logging.getLogger(__name__)
T = TypeVar("T")

Source = Literal["mention", "channel", "dm", "slash", "button"]
MAX_VOTES_REMEMBERED = 100_000


@dataclass(frozen=True)
class Origin:
    """Who asked, where, and how."""

    source: Source
    member_id: int
    guild_id: int | None
    channel_id: int | None


@dataclass(frozen=True)
class Answered:
    reply: Reply
    question_id: int | None
    """The question log's row id; None if logging failed."""


class Answerer:
    def __init__(
        self,
        knowledge: KnowledgeHolder,
        store: Store,
        guilds: GuildSettings | None = None,
        follow_ups: FollowUps | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.store = store
        self.metrics = metrics or Metrics()
        self.guilds = guilds or GuildSettings(store)
        self.follow_ups = follow_ups or FollowUps()
        self._voted: OrderedDict[tuple[int, int], None] = OrderedDict()

    @property
    def engine(self) -> Engine:
        """The engine in use now (a reload swaps it)."""
        return self.knowledge.engine

    async def ask(self, question: str, origin: Origin) -> Answered:
        """Answer free text, continuing the member's conversation in this channel."""
        started = time.perf_counter()
        engine = self.engine
        context = self.follow_ups.get((origin.channel_id, origin.member_id))
        if context and any(drug not in engine.knowledge.drugs for drug in context.drugs):
            context = None  # from knowledge a reload has since replaced
        reply = engine.ask(question, context=context)
        return await self._finish(engine, question, reply, origin, started)

    async def answer_topic(
        self, drug_id: str, topic: str, origin: Origin, *, engine: Engine | None = None
    ) -> Answered:
        """One section of a known drug (``/drug``, ``/sideeffects``); ``engine``: the one the
        drug was found in (a reload in between may have removed it)."""
        started = time.perf_counter()
        engine = engine or self.engine
        reply = engine.answer_topic(drug_id, topic)
        return await self._finish(engine, f"{drug_id}: {topic}", reply, origin, started)

    async def pick(
        self, question_id: int | None, choice: str, question: str, origin: Origin
    ) -> Answered:
        """A clarify button was pressed: record the choice and answer the chosen question."""
        if question_id is not None:
            await self._safely("log the clarify choice", self.store.log_choice, question_id, choice)
        return await self.ask(question, origin)

    async def feedback(self, question_id: int, helpful: bool, member_id: int) -> None:
        """Record a helpful / not helpful click; one vote per member and answer is counted."""
        key = (question_id, member_id)
        if key in self._voted:
            return
        self._voted[key] = None
        while len(self._voted) > MAX_VOTES_REMEMBERED:
            self._voted.popitem(last=False)
        await self._safely("log feedback", self.store.log_feedback, question_id, helpful)

    async def _finish(
        self, engine: Engine, question: str, reply: Reply, origin: Origin, started: float
    ) -> Answered:
        self.follow_ups.remember((origin.channel_id, origin.member_id), reply.context)
        if reply.kind == "emergency" and origin.guild_id is not None:
            config = await self.guilds.get_or_default(origin.guild_id)
            if config.emergency_numbers:
                reply = with_emergency_numbers(engine, reply, config.emergency_numbers)
        record = QuestionRecord(
            asked_at=time.time(),
            source=origin.source,
            guild_id=origin.guild_id,
            channel_id=origin.channel_id,
            asker=origin.member_id,
            question=question,
            kind=reply.kind,
            drug=reply.drug,
            topic=reply.topic,
            entry=reply.entry,
            score=reply.score,
            decision=type(reply.decision).__name__ if reply.decision else None,
        )
        question_id = await self._safely("log the question", self.store.log_question, record)
        self.metrics.replied(reply.kind, time.perf_counter() - started)
        return Answered(reply, question_id)

    async def _safely(self, what: str, call: Callable[..., T], *args: object) -> T | None:
        try:
            return await asyncio.to_thread(call, *args)
        except Exception:
            self.metrics.store_errors.labels(operation=call.__name__).inc()
            log.exception("could not %s; answering anyway", what)
            return None


def with_emergency_numbers(engine: Engine, reply: Reply, numbers: str) -> Reply:
    """The emergency reply with a guild's own numbers in the knowledge's emergency message."""
    try:
        body = engine.knowledge.messages.emergency.format(numbers=numbers)
    except (KeyError, IndexError, ValueError):
        log.exception("the emergency message cannot take a guild's numbers; using the default")
        return reply
    return dataclasses.replace(reply, body=body.strip()[:MAX_TEXT])
