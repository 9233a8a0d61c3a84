"""Retention: delete questions older than ``MEDFAQ_RETENTION_DAYS`` from the question log.

``medfaq run`` prunes at start and then once a day; ``medfaq prune`` does it once.
"""

from __future__ import annotations

import asyncio
import logging
import time

from bot.runtime.store import Store

log = logging.getLogger(__name__)

DAY_SECONDS = 86_400.0


def cutoff(days: float, now: float | None = None) -> float:
    """The unix time before which questions are older than ``days`` days."""
    return (time.time() if now is None else now) - days * DAY_SECONDS


def prune_older_than(store: Store, days: float, now: float | None = None) -> int:
    """Delete questions older than ``days`` days; return how many were deleted."""
    return store.prune(cutoff(days, now))


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
