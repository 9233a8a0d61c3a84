"""Ask the engine for a member, with their follow-up context, and log every question.

The one place where a question from Discord (a mention, an answer channel, a DM, a slash
command or a button) becomes a :class:`~bot.replies.Reply` and a row in the question log.
A failing question log is logged and never stops an answer.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from bot.engine import Engine
from bot.replies import Reply
from bot.storage import QuestionRecord, Store

from .followups import FollowUps

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
    def __init__(self, engine: Engine, store: Store, follow_ups: FollowUps | None = None) -> None:
        self.engine = engine
        self.store = store
        self.follow_ups = follow_ups or FollowUps()
        self._voted: OrderedDict[tuple[int, int], None] = OrderedDict()

    def ask(self, question: str, origin: Origin) -> Answered:
        """Answer free text, continuing the member's conversation in this channel."""
        key = (origin.channel_id, origin.member_id)
        reply = self.engine.ask(question, context=self.follow_ups.get(key))
        return self._finish(question, reply, origin)

    def answer_topic(self, drug_id: str, topic: str, origin: Origin) -> Answered:
        """One section of a known drug (``/drug``, ``/sideeffects``)."""
        reply = self.engine.answer_topic(drug_id, topic)
        return self._finish(f"{drug_id}: {topic}", reply, origin)

    def pick(self, question_id: int | None, choice: str, question: str, origin: Origin) -> Answered:
        """A clarify button was pressed: record the choice and answer the chosen question."""
        if question_id is not None:
            self._safely("log the clarify choice", self.store.log_choice, question_id, choice)
        return self.ask(question, origin)

    def feedback(self, question_id: int, helpful: bool, member_id: int) -> None:
        """Record a helpful / not helpful click; one vote per member and answer is counted."""
        key = (question_id, member_id)
        if key in self._voted:
            return
        self._voted[key] = None
        while len(self._voted) > MAX_VOTES_REMEMBERED:
            self._voted.popitem(last=False)
        self._safely("log feedback", self.store.log_feedback, question_id, helpful)

    def _finish(self, question: str, reply: Reply, origin: Origin) -> Answered:
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
        )
        question_id = self._safely("log the question", self.store.log_question, record)
        return Answered(reply, question_id)

    @staticmethod
    def _safely(what: str, call: Callable[..., T], *args: object) -> T | None:
        try:
            return call(*args)
        except Exception:
            log.exception("could not %s; answering anyway", what)
            return None
