"""The shared back end: one PostgreSQL database for every shard process on every machine.

A small pool of connections (psycopg 3 and psycopg_pool) serves the event loop's worker
threads; each write is its own transaction. Schema steps are applied under an advisory lock,
so processes starting together never both apply one. A connection found dead (the server
restarted) is replaced when it is next taken from the pool.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import errors
from psycopg_pool import ConnectionPool, PoolTimeout

from .migrations import for_postgres
from .records import StorageError
from .sql_store import Row, SQLStore, Written

logger = logging.getLogger(__name__)

POOL_SIZE = 4
"""Connections per process: one for each worker thread (``discord_bot.client``)."""

CONNECT_SECONDS = 10.0
"""How long to wait for the server at start."""

CHECKOUT_SECONDS = 3.0
"""How long a call waits for a working connection before it fails (and is logged and
counted): while the server is away, a worker thread is never held for long."""

PING_SECONDS = 1.5
"""``/healthz`` waits this long for a connection (it reports after 2 s)."""

MIGRATION_LOCK = 0x6D656466617100
"""The advisory lock key held while a schema step is applied ("medfaq")."""


def redacted(url: str) -> str:
    """``url`` without its password, fit for a log line or an error message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


class PostgresStore(SQLStore):
    """The question log and guild settings in a PostgreSQL database."""

    missing_question_errors: ClassVar[tuple[type[Exception], ...]] = (errors.ForeignKeyViolation,)

    def __init__(
        self, url: str, *, store_question_text: bool = True, pool_size: int = POOL_SIZE
    ) -> None:
        super().__init__(redacted(url), store_question_text=store_question_text)
        try:
            # One direct connection first: its error says why (refused, no such database,
            # password); the pool's would only say it timed out.
            psycopg.connect(url, connect_timeout=int(CONNECT_SECONDS)).close()
        except psycopg.Error as exc:
            problem = _first_line(exc)
            raise StorageError(f"{self.where}: cannot open the database: {problem}") from None
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True},
            check=ConnectionPool.check_connection,
            timeout=CHECKOUT_SECONDS,
            name="medfaq",
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=CONNECT_SECONDS)
            self._prepare()
        except (psycopg.Error, PoolTimeout) as exc:
            self._pool.close()
            raise StorageError(
                f"{self.where}: cannot prepare the database: {_first_line(exc)}"
            ) from exc
        except BaseException:
            self._pool.close()
            raise

    def close(self) -> None:
        self._pool.close()

    @property
    def schema_version(self) -> int:
        with self._pool.connection() as conn:
            return _version(conn)

    def _write(self, sql: str, params: Sequence[Any] = ()) -> Written:
        with self._pool.connection() as conn, conn.transaction():
            cursor = conn.execute(_placeholders(sql), params)
            rows = cursor.fetchall() if cursor.description else []
            return Written(cursor.rowcount, rows)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._pool.connection() as conn:
            return conn.execute(_placeholders(sql), params).fetchall()

    def ping(self) -> None:
        with self._pool.connection(timeout=PING_SECONDS) as conn:
            conn.execute("SELECT 1")

    def _apply_migration(self, version: int, steps: Sequence[str]) -> None:
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS medfaq_schema (version BIGINT NOT NULL)")
            if _version(conn) >= version:
                return
            for statement in steps:
                conn.execute(for_postgres(statement).encode())
            conn.execute("DELETE FROM medfaq_schema")
            conn.execute("INSERT INTO medfaq_schema (version) VALUES (%s)", (version,))

    def _storable(self, text: str) -> str:
        # PostgreSQL's text cannot hold NUL.
        return super()._storable(text).replace("\x00", "\ufffd")


def _version(conn: psycopg.Connection[Any]) -> int:
    if conn.execute("SELECT to_regclass('medfaq_schema')").fetchone() == (None,):
        return 0
    row = conn.execute("SELECT max(version) FROM medfaq_schema").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


_SQL_CACHE: dict[str, bytes] = {}


def _placeholders(sql: str) -> bytes:
    """``sql`` with ``?`` placeholders as psycopg's ``%s`` (the shared statements hold no
    literal ``?`` or ``%``)."""
    found = _SQL_CACHE.get(sql)
    if found is None:
        found = _SQL_CACHE[sql] = sql.replace("?", "%s").encode()
    return found


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
