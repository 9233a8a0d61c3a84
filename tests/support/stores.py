"""Looking inside either back end's database from a test, around the store (raw SQL), to see
what it really wrote."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import psycopg

from bot.runtime.store import is_postgres_url

Target = Path | str
"""A SQLite file path or a PostgreSQL URL, as ``MEDFAQ_DB`` takes it."""


def raw_rows(target: Target, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (``?`` placeholders), read beside the store on its own connection."""
    if is_postgres_url(target):
        with psycopg.connect(str(target)) as conn:
            return conn.execute(sql.replace("?", "%s").encode(), params).fetchall()
    conn = sqlite3.connect(target)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def tables(target: Target) -> set[str]:
    if is_postgres_url(target):
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return {row[0] for row in raw_rows(target, sql)}


def set_schema_version(target: Target, version: int) -> None:
    if is_postgres_url(target):
        with psycopg.connect(str(target), autocommit=True) as conn:
            conn.execute("UPDATE medfaq_schema SET version = %s", (version,))
        return
    conn = sqlite3.connect(target)
    conn.execute(f"PRAGMA user_version = {version:d}")
    conn.close()


def everything_stored(target: Target) -> bytes:
    """All the database holds: the SQLite file and its WAL, or every PostgreSQL table's rows
    as text (including the server's own copy of each row, as ``COPY`` writes it)."""
    if not is_postgres_url(target):
        path = Path(target)
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    dumped = b""
    with psycopg.connect(str(target)) as conn:
        for table in sorted(tables(target)):
            with conn.cursor().copy(f'COPY "{table}" TO STDOUT'.encode()) as copy:
                dumped += b"".join(bytes(block) for block in copy)
    return dumped
