"""The question log and guild settings: one interface (:class:`Store`), two back ends.

SQLite (a file path, the default) for a bot on one machine; PostgreSQL (a ``postgresql://``
URL) for shard processes on several machines sharing one database. :func:`open_store` picks
the back end from ``MEDFAQ_DB``.
"""

from __future__ import annotations

from pathlib import Path

from .migrations import MIGRATIONS, SCHEMA_VERSION
from .protocol import Store
from .records import (
    MAX_QUESTION_CHARS,
    SOURCES,
    AskerSummary,
    Choice,
    Feedback,
    LoggedQuestion,
    QuestionRecord,
    StorageError,
)

__all__ = [
    "MAX_QUESTION_CHARS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SOURCES",
    "AskerSummary",
    "Choice",
    "Feedback",
    "LoggedQuestion",
    "QuestionRecord",
    "StorageError",
    "Store",
    "describe",
    "is_postgres_url",
    "open_for_reading",
    "open_store",
]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target: Path | str) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def open_store(target: Path | str, *, store_question_text: bool = True) -> Store:
    """The store at ``target``: a ``postgresql://`` URL, else a SQLite file path.

    Raises :class:`StorageError` (naming the database, never its password) if it cannot be
    opened or prepared.
    """
    if is_postgres_url(target):
        from .postgres import PostgresStore

        return PostgresStore(str(target), store_question_text=store_question_text)
    from .sqlite import SQLiteStore

    return SQLiteStore(target, store_question_text=store_question_text)


def open_for_reading(target: Path | str) -> Store:
    """The store at ``target`` for reports: a SQLite file is opened read only and must be a
    medfaq log (:func:`~bot.runtime.store.readonly.open_read_only`)."""
    if is_postgres_url(target):
        return open_store(target)
    from .readonly import open_read_only

    return open_read_only(Path(target))


def describe(target: Path | str) -> str:
    """``target`` for a log line: a path, or a URL without its password."""
    if is_postgres_url(target):
        from .postgres import redacted

        return redacted(str(target))
    return str(target)
