"""Retention: delete questions older than ``MEDFAQ_RETENTION_DAYS`` from the question log.

``medfaq run`` prunes at start and then once a day; ``medfaq prune`` does it once.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from pathlib import Path

from bot.runtime.store import StorageError, Store, describe, open_store

log = logging.getLogger(__name__)

DAY_SECONDS = 86_400.0


def cutoff(days: float, now: float | None = None) -> float:
    """The unix time before which questions are older than ``days`` days."""
    return (time.time() if now is None else now) - days * DAY_SECONDS


def prune_older_than(store: Store, days: float, now: float | None = None) -> int:
    """Delete questions older than ``days`` days; return how many were deleted."""
    return store.prune(cutoff(days, now))


class RetentionError(Exception):
    """The question log cannot be pruned; the message names it and says why."""


def prune_database(target: Path | str, days: float) -> int:
    """``medfaq prune``: delete questions older than ``days`` days from the log at ``target``
    (a SQLite path or a PostgreSQL URL); return how many were deleted."""
    import psycopg  # only here: the bot itself never needs the driver unless it uses it

    if isinstance(target, Path) and not target.is_file():
        raise RetentionError(f"no question log at {target} (set MEDFAQ_DB)")
    try:
        with open_store(target) as store:
            return prune_older_than(store, days)
    except StorageError as exc:
        raise RetentionError(str(exc)) from None
    except (sqlite3.Error, psycopg.Error) as exc:
        raise RetentionError(f"{describe(target)}: {exc}") from None


async def prune_daily(store: Store, days: float, every: float = DAY_SECONDS) -> None:
    """Prune now, then every ``every`` seconds, in a worker thread; runs until cancelled. A
    failed prune is logged and tried again next time."""
    while True:
        try:
            deleted = await asyncio.to_thread(prune_older_than, store, days)
            log.info("retention: deleted %d question(s) older than %g days", deleted, days)
        except Exception:
            log.exception("retention: could not prune the question log; trying again later")
        await asyncio.sleep(every)
