"""What the question log holds, as plain values shared by every back end, and the checks and
clean-ups a record gets before any back end writes it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.engine.replies import KINDS

SOURCES = ("mention", "channel", "dm", "slash", "button", "menu", "forum", "cli")
"""Where a question came from."""

MAX_QUESTION_CHARS = 4000
"""Longer questions are cut to this before they are stored (Discord's own message limit)."""


class StorageError(Exception):
    """The database cannot be opened or is newer than this version of medfaq understands."""


@dataclass(frozen=True)
class QuestionRecord:
    """One question and the reply it got, as a front end reports it to the log."""

    asked_at: float
    """Unix time."""
    source: str
    """One of :data:`SOURCES`."""
    guild_id: int | None
    channel_id: int | None
    asker: int | None
    """A Discord user id; never stored: the store keeps only a salted hash."""
    question: str | None
    """None when question text storage is off."""
    kind: str
    """answer | clarify | fallback | emergency"""
    drug: str | None
    topic: str | None
    entry: str | None
    score: float
    decision: str | None = None
    """The type of the engine's decision (``Check``, ``Fallback`` ...), from ``reply.decision``."""
    safety: str | None = None
    """What the safety triage found, as JSON ({"level", "kind", "signals"}): why a question got
    the emergency reply. None: nothing."""


@dataclass(frozen=True)
class LoggedQuestion:
    """A question as the log holds it: the asker is a salted hash, never an id."""

    id: int
    asked_at: float
    source: str
    guild_id: int | None
    channel_id: int | None
    asker_hash: str | None
    question: str | None
    kind: str
    drug: str | None
    topic: str | None
    entry: str | None
    score: float
    decision: str | None = None
    safety: str | None = None


@dataclass(frozen=True)
class AskerSummary:
    """What the log keeps about one asker (``/privacy``): rows under their hash, no more."""

    asker_hash: str
    questions: int
    """Questions logged under the hash (with their replies, feedback and choices)."""
    with_text: int
    """Of those, how many keep the words asked."""
    latest: list[tuple[float, str | None]]
    """The latest few: when, and the words (None when not kept), newest first."""


@dataclass(frozen=True)
class Feedback:
    question_id: int
    helpful: bool
    clicked_at: float


@dataclass(frozen=True)
class Choice:
    question_id: int
    choice: str
    clicked_at: float


def check_record(record: QuestionRecord) -> None:
    if not math.isfinite(record.asked_at):
        raise ValueError(f"asked_at must be a unix time, not {record.asked_at!r}")
    if record.kind not in KINDS:
        raise ValueError(f"unknown reply kind {record.kind!r}; expected one of {KINDS}")
    if record.source not in SOURCES:
        raise ValueError(f"unknown question source {record.source!r}; expected one of {SOURCES}")


def clean(text: str) -> str:
    """Text a database can store: lone surrogates (from undecodable input) become U+FFFD."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def finite(score: float) -> float:
    """A score as stored: NaN and infinities (never meaningful) become 0."""
    return float(score) if math.isfinite(score) else 0.0


def period(since: float | None, until: float | None) -> tuple[float, float]:
    return (float("-inf") if since is None else since, float("inf") if until is None else until)
