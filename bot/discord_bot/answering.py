"""Ask the engine for a member, with their follow-up context, and log every question.

The one place where a question from Discord (a mention, an answer channel, a DM, a slash
command or a button) becomes a :class:`~bot.replies.Reply` and a row in the question log.
The engine is read from the :class:`~bot.reloading.KnowledgeHolder` for every question, so a
reload takes effect at once. An emergency reply names the server's own emergency numbers where
the server set them; where there is no server's setting (a DM, a user install of the app) those
of the asker's Discord locale (``emergency-numbers.yaml``); else the deployment's. The question
log is written from a worker thread (a write may wait for another process sharing the
database); a failing log is logged and never stops an answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from bot.engine.engine import Engine
from bot.engine.replies import Reply
from bot.runtime.metrics import Metrics
from bot.runtime.once import ReportOnce
from bot.runtime.reloading import KnowledgeHolder
from bot.runtime.store import QuestionRecord, Store

from .followups import FollowUps
from .guilds import GuildSettings

log = logging.getLogger(__name__)
T = TypeVar("T")

Source = Literal["mention", "channel", "dm", "slash", "button", "menu", "forum"]
MAX_VOTES_REMEMBERED = 100_000


@dataclass(frozen=True)
class Origin:
    """Who asked, where, and how."""

    source: Source
    member_id: int
    guild_id: int | None
    channel_id: int | None
    locale: str | None = None
    """The asker's Discord language ("en-GB"), when Discord says (interactions)."""
    in_server: bool = True
    """The server (if any) has added the bot, so its settings apply (emergency numbers, crisis
    alerts); False for a user install of the app in a server without the bot."""

    @property
    def server_id(self) -> int | None:
        """The server whose settings apply, if any."""
        return self.guild_id if self.in_server else None


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
        # A context naming a drug a reload has since removed: the engine's policy applies.
        context = self.follow_ups.get((origin.channel_id, origin.member_id))
        numbers = None
        if engine.concern(question) == "emergency":
            numbers = await self.emergency_numbers(engine, origin)
        reply = engine.ask(question, context=context, emergency_numbers=numbers)
        return await self._finish(question, reply, origin, started)

    async def emergency_numbers(self, engine: Engine, origin: Origin) -> str | None:
        """The server's own numbers; with no server's settings, the asker's locale's; None:
        the deployment's."""
        if origin.server_id is not None:
            config = await self.guilds.get_or_default(origin.server_id)
            return config.emergency_numbers
        return engine.knowledge.emergency_numbers.for_locale(origin.locale)

    async def answer_topic(
        self, drug_id: str, topic: str, origin: Origin, *, engine: Engine | None = None
    ) -> Answered:
        """One section of a known drug (``/drug``, ``/sideeffects``); ``engine``: the one the
        drug was found in (a reload in between may have removed it)."""
        started = time.perf_counter()
        engine = engine or self.engine
        reply = engine.answer_topic(drug_id, topic)
        return await self._finish(f"{drug_id}: {topic}", reply, origin, started)

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
        self, question: str, reply: Reply, origin: Origin, started: float
    ) -> Answered:
        self.follow_ups.remember((origin.channel_id, origin.member_id), reply.context)
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
            safety=json.dumps(reply.safety_json()) if reply.safety else None,
        )
        question_id = await self._safely("log the question", self.store.log_question, record)
        self.metrics.replied(reply.kind, time.perf_counter() - started)
        return Answered(reply, question_id)

    async def _safely(self, what: str, call: Callable[..., T], *args: object) -> T | None:
        report = _FAILURES.setdefault(what, ReportOnce(log, what))
        try:
            result = await asyncio.to_thread(call, *args)
        except Exception as exc:
            self.metrics.store_errors.labels(operation=call.__name__).inc()
            report.failed(exc, "; answering anyway")
            return None
        report.succeeded()
        return result


_FAILURES: dict[str, ReportOnce] = {}
"""One per kind of write (logging a question, a click): a full disk is said once."""
