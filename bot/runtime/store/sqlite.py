"""The embedded back end: one SQLite file in WAL mode, for a bot on one machine.

One connection behind a lock serves the event loop's worker threads; several processes on the
same host may write one file (WAL, a busy timeout, ``BEGIN IMMEDIATE`` for every write, and a
bounded retry when the file is locked). Every write is its own committed transaction, so a
killed process loses at most the write in flight.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from .records import StorageError
from .sql_store import Row, SQLStore, Written

logger = logging.getLogger(__name__)

T = TypeVar("T")

BUSY_TIMEOUT_SECONDS = 5.0
"""How long SQLite itself waits for another writer before reporting the file locked."""

LOCKED_RETRIES = 5
"""After the busy timeout, how many more times a statement is tried before giving up."""


class SQLiteStore(SQLStore):
    """The question log and guild settings over one SQLite file."""

    missing_question_errors: ClassVar[tuple[type[Exception], ...]] = (sqlite3.IntegrityError,)

    def __init__(self, path: Path | str, *, store_question_text: bool = True) -> None:
        self.path = Path(path).expanduser()
        super().__init__(str(self.path), store_question_text=store_question_text)
        self._lock = threading.Lock()
        self._conn = _connect(self.path)
        try:
            self._prepare()
        except sqlite3.Error as exc:
            self._conn.close()
            raise StorageError(f"{self.path}: cannot prepare the database: {exc}") from exc
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @property
    def schema_version(self) -> int:
        return int(self._query("PRAGMA user_version")[0][0])

    def _write(self, sql: str, params: Sequence[Any] = ()) -> Written:
        def run(conn: sqlite3.Connection) -> Written:
            cursor = conn.execute(sql, params)
            rows = cursor.fetchall()
            return Written(cursor.rowcount, rows)

        return self._in_transaction(run)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._with_retries(lambda conn: conn.execute(sql, params).fetchall())

    def _apply_migration(self, version: int, steps: Sequence[str]) -> None:
        # The check runs inside the write transaction, so two processes opening a new file
        # never both apply a step.
        def apply(conn: sqlite3.Connection) -> None:
            if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= version:
                return
            for statement in steps:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version:d}")

        self._in_transaction(apply)

    def _in_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
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

    def _with_retries(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            return _retry_locked(lambda: work(self._conn), self.path)


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
