"""The question log and the guild settings, in one SQLite database (WAL mode).

Privacy by default: no user id or username is ever written. An asker is kept only as a salted
hash (the salt is made once per database and kept in its ``meta`` table), enough to count
distinct askers; with ``store_question_text=False`` the words asked are never written either.

Safe to share: one :class:`Store` may be used from the asyncio thread and worker threads (one
connection behind a lock), and several processes may write one database file (WAL, a busy
timeout, ``BEGIN IMMEDIATE`` for every write, and a bounded retry when the file is locked).
Every write is its own committed transaction, so a killed process loses at most the write in
flight. A write may wait up to a few seconds for another process: call it from a worker thread
(``asyncio.to_thread``) rather than on the event loop.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import random
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bot.engine.replies import KINDS

logger = logging.getLogger(__name__)

T = TypeVar("T")

SOURCES = ("mention", "channel", "dm", "slash", "button", "cli")
"""Where a question came from."""

MAX_QUESTION_CHARS = 4000
"""Longer questions are cut to this before they are stored (Discord's own message limit)."""

BUSY_TIMEOUT_SECONDS = 5.0
"""How long SQLite itself waits for another writer before reporting the file locked."""

LOCKED_RETRIES = 5
"""After the busy timeout, how many more times a statement is tried before giving up."""

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the question log, feedback and clarify choices, guild settings.
    (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE questions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            asked_at REAL NOT NULL,
            source TEXT NOT NULL,
            guild_id INTEGER,
            channel_id INTEGER,
            asker_hash TEXT,
            question TEXT,
            kind TEXT NOT NULL,
            drug TEXT,
            topic TEXT,
            entry TEXT,
            score REAL NOT NULL
        )""",
        "CREATE INDEX questions_asked_at ON questions (asked_at)",
        """CREATE TABLE feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
            clicked_at REAL NOT NULL,
            helpful INTEGER NOT NULL CHECK (helpful IN (0, 1))
        )""",
        "CREATE INDEX feedback_question ON feedback (question_id)",
        """CREATE TABLE choices (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
            clicked_at REAL NOT NULL,
            choice TEXT NOT NULL
        )""",
        "CREATE INDEX choices_question ON choices (question_id)",
        """CREATE TABLE answer_channels (
            guild_id INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            PRIMARY KEY (guild_id, channel_id)
        )""",
        """CREATE TABLE guild_settings (
            guild_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (guild_id, key)
        )""",
    ),
    # 2: the engine's decision type (Check, Fallback, ...): ids only, never the asker's words.
    ("ALTER TABLE questions ADD COLUMN decision TEXT",),
)
"""Schema steps, applied in order, each in its own transaction; ``PRAGMA user_version`` is the
number applied. Append new steps; never edit a shipped one."""

SCHEMA_VERSION = len(MIGRATIONS)

_QUESTION_COLUMNS = (
    "id, asked_at, source, guild_id, channel_id, asker_hash, question, kind, drug, topic, entry,"
    " score, decision"
)


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


class Store:
    """The question log and guild settings over one SQLite file."""

    def __init__(self, path: Path | str, *, store_question_text: bool = True) -> None:
        self.path = Path(path).expanduser()
        self.store_question_text = store_question_text
        self._lock = threading.Lock()
        self._conn = _connect(self.path)
        try:
            self._migrate()
            self._salt = self._load_salt()
        except sqlite3.Error as exc:
            self._conn.close()
            raise StorageError(f"{self.path}: cannot prepare the database: {exc}") from exc
        except BaseException:
            self._conn.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- the question log --------------------------------------------------------------------

    def log_question(self, record: QuestionRecord) -> int:
        """Append one question; return its id (for later feedback and choices)."""
        _check_record(record)
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
            float(record.score) if math.isfinite(record.score) else 0.0,
            record.decision,
        )
        sql = (
            "INSERT INTO questions (asked_at, source, guild_id, channel_id, asker_hash, question,"
            " kind, drug, topic, entry, score, decision)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        rowid = self._write(lambda conn: conn.execute(sql, row).lastrowid)
        assert rowid is not None
        return rowid

    def log_feedback(self, question_id: int, helpful: bool) -> None:
        """Record a "helpful?" click; a click on a question the log does not hold is dropped."""
        sql = "INSERT INTO feedback (question_id, clicked_at, helpful) VALUES (?, ?, ?)"
        self._write_for_question(sql, (question_id, time.time(), int(helpful)))

    def log_choice(self, question_id: int, choice: str) -> None:
        """Record which clarify button was picked for ``question_id``."""
        sql = "INSERT INTO choices (question_id, clicked_at, choice) VALUES (?, ?, ?)"
        label = _clean(choice[:MAX_QUESTION_CHARS])
        self._write_for_question(sql, (question_id, time.time(), label))

    def asker_hash(self, asker: int) -> str:
        """The salted hash the log keeps instead of a user id."""
        digest = hmac.new(self._salt, str(asker).encode(), hashlib.sha256).hexdigest()
        return digest[:16]

    # -- reading the log (for the report) ----------------------------------------------------

    def question_count(self) -> int:
        """All questions ever logged."""
        return int(self._read(lambda conn: conn.execute("SELECT count(*) FROM questions"))[0][0])

    def questions(
        self, since: float | None = None, until: float | None = None
    ) -> list[LoggedQuestion]:
        """Questions asked in ``[since, until)``, oldest first."""
        sql = (
            f"SELECT {_QUESTION_COLUMNS} FROM questions"
            " WHERE asked_at >= ? AND asked_at < ? ORDER BY asked_at, id"
        )
        rows = self._read(lambda conn: conn.execute(sql, _period(since, until)))
        return [LoggedQuestion(*row) for row in rows]

    def feedback(self, since: float | None = None, until: float | None = None) -> list[Feedback]:
        """Feedback clicks on questions asked in ``[since, until)``."""
        sql = (
            "SELECT f.question_id, f.helpful, f.clicked_at FROM feedback f"
            " JOIN questions q ON q.id = f.question_id"
            " WHERE q.asked_at >= ? AND q.asked_at < ? ORDER BY f.id"
        )
        rows = self._read(lambda conn: conn.execute(sql, _period(since, until)))
        return [Feedback(qid, bool(helpful), at) for qid, helpful, at in rows]

    def choices(self, since: float | None = None, until: float | None = None) -> list[Choice]:
        """Clarify choices picked for questions asked in ``[since, until)``."""
        sql = (
            "SELECT c.question_id, c.choice, c.clicked_at FROM choices c"
            " JOIN questions q ON q.id = c.question_id"
            " WHERE q.asked_at >= ? AND q.asked_at < ? ORDER BY c.id"
        )
        rows = self._read(lambda conn: conn.execute(sql, _period(since, until)))
        return [Choice(*row) for row in rows]

    # -- guild settings ----------------------------------------------------------------------

    def answer_channels(self, guild_id: int) -> set[int]:
        sql = "SELECT channel_id FROM answer_channels WHERE guild_id = ?"
        return {row[0] for row in self._read(lambda conn: conn.execute(sql, (guild_id,)))}

    def add_answer_channel(self, guild_id: int, channel_id: int) -> bool:
        """Answer in this channel too; False if it was already one."""
        sql = "INSERT OR IGNORE INTO answer_channels (guild_id, channel_id) VALUES (?, ?)"
        return self._write(lambda conn: conn.execute(sql, (guild_id, channel_id)).rowcount) > 0

    def remove_answer_channel(self, guild_id: int, channel_id: int) -> bool:
        """Stop answering in this channel; False if it was not one."""
        sql = "DELETE FROM answer_channels WHERE guild_id = ? AND channel_id = ?"
        return self._write(lambda conn: conn.execute(sql, (guild_id, channel_id)).rowcount) > 0

    def guild_setting(self, guild_id: int, key: str) -> str | None:
        sql = "SELECT value FROM guild_settings WHERE guild_id = ? AND key = ?"
        rows = self._read(lambda conn: conn.execute(sql, (guild_id, key)))
        return str(rows[0][0]) if rows else None

    def set_guild_setting(self, guild_id: int, key: str, value: str | None) -> None:
        """Set one setting of a guild; ``None`` removes it."""
        if value is None:
            sql = "DELETE FROM guild_settings WHERE guild_id = ? AND key = ?"
            self._write(lambda conn: conn.execute(sql, (guild_id, key)))
            return
        sql = "INSERT OR REPLACE INTO guild_settings (guild_id, key, value) VALUES (?, ?, ?)"
        self._write(lambda conn: conn.execute(sql, (guild_id, key, value)))

    # -- the database ------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self._read(lambda conn: conn.execute("PRAGMA user_version"))[0][0])

    def _question_text(self, question: str | None) -> str | None:
        if not self.store_question_text or question is None:
            return None
        return _clean(question[:MAX_QUESTION_CHARS])

    def _write_for_question(self, sql: str, params: Sequence[Any]) -> None:
        try:
            self._write(lambda conn: conn.execute(sql, params))
        except sqlite3.IntegrityError:
            logger.warning("question %s is not in the log; the click is not recorded", params[0])

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one ``BEGIN IMMEDIATE`` transaction and commit it."""

        def attempt(conn: sqlite3.Connection) -> T:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

        return self._with_retries(attempt)

    def _read(self, query: Callable[[sqlite3.Connection], sqlite3.Cursor]) -> list[Any]:
        return self._with_retries(lambda conn: query(conn).fetchall())

    def _with_retries(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            return _retry_locked(lambda: work(self._conn), self.path)

    def _migrate(self) -> None:
        found, latest = self.schema_version, len(MIGRATIONS)
        if found > latest:
            raise StorageError(
                f"{self.path}: the database is at schema version {found}, newer than this "
                f"medfaq ({latest}); upgrade medfaq or point MEDFAQ_DB elsewhere"
            )
        for version, steps in enumerate(MIGRATIONS[found:], start=found + 1):
            self._write(_migration(version, steps))

    def _load_salt(self) -> bytes:
        fresh = secrets.token_hex(16)
        sql = "INSERT OR IGNORE INTO meta (key, value) VALUES ('asker_salt', ?)"
        self._write(lambda conn: conn.execute(sql, (fresh,)))
        rows = self._read(
            lambda conn: conn.execute("SELECT value FROM meta WHERE key = 'asker_salt'")
        )
        return bytes.fromhex(rows[0][0])


def _connect(path: Path) -> sqlite3.Connection:
    """Open ``path`` (creating it, private to this user) in WAL mode with a busy timeout."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        created = not path.exists()
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"{path}: cannot open the database: {exc}") from None
    try:
        if created:
            path.chmod(0o600)
        mode = _retry_locked(lambda: conn.execute("PRAGMA journal_mode=WAL").fetchone()[0], path)
        if mode != "wal":
            logger.warning("%s: WAL mode is not available here (journal mode %s)", path, mode)
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
    except (OSError, sqlite3.Error) as exc:
        conn.close()
        raise StorageError(f"{path}: cannot open the database: {exc}") from None
    return conn


def _migration(version: int, steps: Sequence[str]) -> Callable[[sqlite3.Connection], None]:
    """One schema step, skipped if this or another process already applied it (the check runs
    inside the write transaction, so two processes opening a new file never both apply it)."""

    def apply(conn: sqlite3.Connection) -> None:
        if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= version:
            return
        for statement in steps:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version:d}")
        logger.info("question log: schema migrated to version %d", version)

    return apply


def _retry_locked(work: Callable[[], T], path: Path) -> T:
    """Run ``work``; if the file stays locked past the busy timeout, back off and try again."""
    for attempt in range(LOCKED_RETRIES + 1):
        try:
            return work()
        except sqlite3.OperationalError as exc:
            if not _is_locked(exc) or attempt == LOCKED_RETRIES:
                raise
            delay = 0.05 * 2**attempt * (1 + random.random())
            logger.warning("%s is locked (%s); retrying in %.2fs", path, exc, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def _check_record(record: QuestionRecord) -> None:
    if not math.isfinite(record.asked_at):
        raise ValueError(f"asked_at must be a unix time, not {record.asked_at!r}")
    if record.kind not in KINDS:
        raise ValueError(f"unknown reply kind {record.kind!r}; expected one of {KINDS}")
    if record.source not in SOURCES:
        raise ValueError(f"unknown question source {record.source!r}; expected one of {SOURCES}")


def _clean(text: str) -> str:
    """Text SQLite can store: lone surrogates (from undecodable input) become U+FFFD."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _period(since: float | None, until: float | None) -> tuple[float, float]:
    return (float("-inf") if since is None else since, float("inf") if until is None else until)
