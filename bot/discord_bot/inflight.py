"""Replies in flight, counted so a shutdown can let them finish before it closes the bot.

Every handler that answers (a message, a command, a button) runs inside :meth:`InFlight.track`;
on SIGTERM or SIGINT the bot closes the gateway (no new events), waits for :meth:`wait_idle`
(bounded), then closes its HTTP session and the question log.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class InFlight:
    def __init__(self) -> None:
        self.count = 0
        self._idle: asyncio.Event | None = None

    @contextlib.asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        self.count += 1
        self._event().clear()
        try:
            yield
        finally:
            self.count -= 1
            if self.count == 0:
                self._event().set()

    async def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is in flight; False if ``timeout`` seconds passed first."""
        if self.count == 0:
            return True
        try:
            await asyncio.wait_for(self._event().wait(), timeout)
        except TimeoutError:
            return False
        return True

    def _event(self) -> asyncio.Event:
        # Made on first use, inside the running loop (the services are built before it).
        if self._idle is None:
            self._idle = asyncio.Event()
            self._idle.set()
        return self._idle
