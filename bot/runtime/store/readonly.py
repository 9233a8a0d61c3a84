"""The question log opened for reading only, for ``medfaq report``.

Nothing is created, migrated or switched to WAL: a read-only copy can be reported on, and a
database that is not a medfaq log is refused and left byte for byte as it was.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from .migrations import SCHEMA_VERSION
from .records import StorageError
from .sql_store import SQLStore
from .sqlite import SQLiteStore

LOG_TABLES = frozenset({"meta", "questions", "feedback", "choices"})
"""The tables that make a database a medfaq question log."""


def open_read_only(path: Path) -> SQLiteStore:
    """The question log at ``path`` for reading only: nothing is created, migrated or
    switched to WAL, so a read-only copy works and another application's database is left
    byte for byte as it was. Raises :class:`StorageError` for a database that is not a
    medfaq log, or one newer than this medfaq."""
    conn = _connect_read_only(path)
    try:
        _check_is_log(conn, path)
    except BaseException:
        conn.close()
        raise
    store = SQLiteStore.__new__(SQLiteStore)
    SQLStore.__init__(store, str(path), store_question_text=False)
    store.path, store._lock, store._conn = path, threading.Lock(), conn
    return store


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """``mode=ro``; where that cannot open a WAL file (a read-only folder without its -shm
    file), ``immutable=1``: nothing can be writing a file nobody may write."""
    uri = path.absolute().as_uri()
    error: sqlite3.Error | None = None
    for options in ("mode=ro", "mode=ro&immutable=1"):
        try:
            conn = sqlite3.connect(
                f"{uri}?{options}", uri=True, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            error = exc
            continue
        try:
            conn.execute("PRAGMA schema_version").fetchone()
            return conn
        except sqlite3.Error as exc:
            conn.close()
            error = exc
    raise StorageError(f"{path}: cannot open the database for reading: {error}")


def _check_is_log(conn: sqlite3.Connection, path: Path) -> None:
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path}: not a medfaq question log ({exc})") from None
    if not LOG_TABLES.issubset(tables) or version < 1:
        raise StorageError(
            f"{path}: not a medfaq question log (it has no questions table); "
            "point --db or MEDFAQ_DB at the bot's database"
        )
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"{path}: the question log is at schema version {version}, newer than this "
            f"medfaq ({SCHEMA_VERSION}); upgrade medfaq"
        )
