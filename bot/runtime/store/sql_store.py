"""The store's queries, written once for every back end; a back end supplies the connection.

Privacy by default: no user id or username is ever written. An asker is kept only as a salted
hash (the salt is made once per database and kept in its ``meta`` table), enough to count
distinct askers; with ``store_question_text=False`` the words asked are never written either.

Statements use ``?`` placeholders and SQL that SQLite and PostgreSQL both speak (``ON
CONFLICT``, ``RETURNING``); a back end rewrites the placeholders if its driver needs it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from . import migrations
from .records import (
    MAX_QUESTION_CHARS,
    AskerSummary,
    Choice,
    Feedback,
    LoggedQuestion,
    QuestionRecord,
    StorageError,
    check_record,
    clean,
    finite,
    period,
)

logger = logging.getLogger(__name__)

Row = tuple[Any, ...]

_QUESTION_COLUMNS = (
    "id, asked_at, source, guild_id, channel_id, asker_hash, question, kind, drug, topic, entry,"
    " score, decision, safety"
)


@dataclass(frozen=True)
class Written:
    """What one committed write did: rows changed, and rows a ``RETURNING`` clause gave."""

    rowcount: int
    rows: list[Row]


class SQLStore(ABC):
    """The question log and guild settings over any SQL database (see :class:`Store`)."""

    missing_question_errors: ClassVar[tuple[type[Exception], ...]] = ()
    """What the driver raises when feedback names a question the log does not hold."""

    def __init__(self, where: str, *, store_question_text: bool) -> None:
        self.where = where
        self.store_question_text = store_question_text
        self._salt = b""

    # -- what a back end provides ------------------------------------------------------------

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def _write(self, sql: str, params: Sequence[Any] = ()) -> Written:
        """Run one statement in its own transaction and commit it."""

    @abstractmethod
    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @property
    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def _apply_migration(self, version: int, steps: Sequence[str]) -> None:
        """Apply one schema step and record ``version``, in one transaction, unless this or
        another process has already applied it."""

    def _storable(self, text: str) -> str:
        """Text as this database can keep it."""
        return clean(text)

    # -- opening -----------------------------------------------------------------------------

    def _prepare(self) -> None:
        """Migrate the schema and load the salt; called by a back end once it is connected."""
        found, latest = self.schema_version, len(migrations.MIGRATIONS)
        if found > latest:
            raise StorageError(
                f"{self.where}: the database is at schema version {found}, newer than this "
                f"medfaq ({latest}); upgrade medfaq or point MEDFAQ_DB elsewhere"
            )
        for version, steps in enumerate(migrations.MIGRATIONS[found:], start=found + 1):
            self._apply_migration(version, steps)
            logger.info("question log: schema migrated to version %d", version)
        fresh = secrets.token_hex(16)
        self._write(
            "INSERT INTO meta (key, value) VALUES ('asker_salt', ?) ON CONFLICT DO NOTHING",
            (fresh,),
        )
        rows = self._query("SELECT value FROM meta WHERE key = 'asker_salt'")
        self._salt = bytes.fromhex(rows[0][0])

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ping(self) -> None:
        self._query("SELECT 1")

    # -- the question log --------------------------------------------------------------------

    def log_question(self, record: QuestionRecord) -> int:
        check_record(record)
        row = (
            record.asked_at,
            record.source,
            record.guild_id,
            record.channel_id,
            None if record.asker is None else self.asker_hash(record.asker),
            self._question_text(record.question),
            record.kind,
            record.drug,
            record.topic,
            record.entry,
            finite(record.score),
            record.decision,
            record.safety,
        )
        sql = (
            "INSERT INTO questions (asked_at, source, guild_id, channel_id, asker_hash, question,"
            " kind, drug, topic, entry, score, decision, safety)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id"
        )
        return int(self._write(sql, row).rows[0][0])

    def log_feedback(self, question_id: int, helpful: bool) -> None:
        """Record a "helpful?" click; a click on a question the log does not hold is dropped."""
        sql = "INSERT INTO feedback (question_id, clicked_at, helpful) VALUES (?, ?, ?)"
        self._write_for_question(sql, (question_id, time.time(), int(helpful)))

    def log_choice(self, question_id: int, choice: str) -> None:
        """Record which clarify button was picked for ``question_id``."""
        sql = "INSERT INTO choices (question_id, clicked_at, choice) VALUES (?, ?, ?)"
        label = self._storable(choice[:MAX_QUESTION_CHARS])
        self._write_for_question(sql, (question_id, time.time(), label))

    def asker_hash(self, asker: int) -> str:
        """The salted hash the log keeps instead of a user id."""
        digest = hmac.new(self._salt, str(asker).encode(), hashlib.sha256).hexdigest()
        return digest[:16]

    # -- reading the log (for the report) ----------------------------------------------------

    def question_count(self) -> int:
        return int(self._query("SELECT count(*) FROM questions")[0][0])

    def questions(
        self, since: float | None = None, until: float | None = None
    ) -> list[LoggedQuestion]:
        """Questions asked in ``[since, until)``, oldest first."""
        sql = (
            f"SELECT {_QUESTION_COLUMNS} FROM questions"
            " WHERE asked_at >= ? AND asked_at < ? ORDER BY asked_at, id"
        )
        return [LoggedQuestion(*row) for row in self._query(sql, period(since, until))]

    def feedback(self, since: float | None = None, until: float | None = None) -> list[Feedback]:
        """Feedback clicks on questions asked in ``[since, until)``."""
        sql = (
            "SELECT f.question_id, f.helpful, f.clicked_at FROM feedback f"
            " JOIN questions q ON q.id = f.question_id"
            " WHERE q.asked_at >= ? AND q.asked_at < ? ORDER BY f.id"
        )
        rows = self._query(sql, period(since, until))
        return [Feedback(qid, bool(helpful), at) for qid, helpful, at in rows]

    def choices(self, since: float | None = None, until: float | None = None) -> list[Choice]:
        """Clarify choices picked for questions asked in ``[since, until)``."""
        sql = (
            "SELECT c.question_id, c.choice, c.clicked_at FROM choices c"
            " JOIN questions q ON q.id = c.question_id"
            " WHERE q.asked_at >= ? AND q.asked_at < ? ORDER BY c.id"
        )
        return [Choice(*row) for row in self._query(sql, period(since, until))]

    # -- privacy: one asker's rows, deleting them, retention --------------------------------
    # Feedback and choices go with their question (ON DELETE CASCADE).

    def asker_summary(self, asker_hash: str, latest: int = 3) -> AskerSummary:
        """How many questions the log holds under ``asker_hash``, and the latest few."""
        count_sql = "SELECT count(*), count(question) FROM questions WHERE asker_hash = ?"
        total, with_text = self._query(count_sql, (asker_hash,))[0]
        latest_sql = (
            "SELECT asked_at, question FROM questions WHERE asker_hash = ?"
            " ORDER BY asked_at DESC, id DESC LIMIT ?"
        )
        rows = self._query(latest_sql, (asker_hash, latest))
        return AskerSummary(asker_hash, int(total), int(with_text), [(at, q) for at, q in rows])

    def delete_asker(self, asker_hash: str) -> int:
        """Delete every question (and its feedback and choices) under ``asker_hash``; return
        how many questions were deleted."""
        return self._write("DELETE FROM questions WHERE asker_hash = ?", (asker_hash,)).rowcount

    def prune(self, before: float) -> int:
        """Delete every question asked before ``before`` (unix time), with its feedback and
        choices; return how many questions were deleted."""
        return self._write("DELETE FROM questions WHERE asked_at < ?", (before,)).rowcount

    # -- guild settings ----------------------------------------------------------------------

    def answer_channels(self, guild_id: int) -> set[int]:
        sql = "SELECT channel_id FROM answer_channels WHERE guild_id = ?"
        return {int(row[0]) for row in self._query(sql, (guild_id,))}

    def add_answer_channel(self, guild_id: int, channel_id: int) -> bool:
        """Answer in this channel too; False if it was already one."""
        sql = (
            "INSERT INTO answer_channels (guild_id, channel_id) VALUES (?, ?)"
            " ON CONFLICT DO NOTHING"
        )
        return self._write(sql, (guild_id, channel_id)).rowcount > 0

    def remove_answer_channel(self, guild_id: int, channel_id: int) -> bool:
        """Stop answering in this channel; False if it was not one."""
        sql = "DELETE FROM answer_channels WHERE guild_id = ? AND channel_id = ?"
        return self._write(sql, (guild_id, channel_id)).rowcount > 0

    def guild_setting(self, guild_id: int, key: str) -> str | None:
        sql = "SELECT value FROM guild_settings WHERE guild_id = ? AND key = ?"
        rows = self._query(sql, (guild_id, key))
        return str(rows[0][0]) if rows else None

    def set_guild_setting(self, guild_id: int, key: str, value: str | None) -> None:
        """Set one setting of a guild; ``None`` removes it."""
        if value is None:
            sql = "DELETE FROM guild_settings WHERE guild_id = ? AND key = ?"
            self._write(sql, (guild_id, key))
            return
        sql = (
            "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value"
        )
        self._write(sql, (guild_id, key, value))

    # -- helpers -----------------------------------------------------------------------------

    def _question_text(self, question: str | None) -> str | None:
        if not self.store_question_text or question is None:
            return None
        return self._storable(question[:MAX_QUESTION_CHARS])

    def _write_for_question(self, sql: str, params: Sequence[Any]) -> None:
        try:
            self._write(sql, params)
        except self.missing_question_errors:
            logger.warning("question %s is not in the log; the click is not recorded", params[0])
