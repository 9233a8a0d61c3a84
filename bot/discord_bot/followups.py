"""Follow-up context per (channel, member): "what about amitriptyline?" a few minutes later."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from bot.engine.replies import Context

FOLLOW_UP_SECONDS = 300.0
MAX_CONVERSATIONS = 10_000

Key = tuple[int | None, int]
"""(channel id, member id); a DM channel counts as a channel."""


class FollowUps:
    def __init__(
        self,
        *,
        ttl: float = FOLLOW_UP_SECONDS,
        capacity: int = MAX_CONVERSATIONS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self._clock = clock
        self._contexts: OrderedDict[Key, tuple[float, Context]] = OrderedDict()

    def get(self, key: Key) -> Context | None:
        found = self._contexts.get(key)
        if found is None:
            return None
        stored_at, context = found
        if self._clock() - stored_at > self.ttl:
            del self._contexts[key]
            return None
        return context

    def forget(self, member_id: int) -> None:
        """Drop every context of ``member_id`` (``/privacy`` deletion)."""
        for key in [k for k in self._contexts if k[1] == member_id]:
            del self._contexts[key]

    def remember(self, key: Key, context: Context) -> None:
        if not context.drugs and context.topic is None:
            self._contexts.pop(key, None)
            return
        self._contexts[key] = (self._clock(), context)
        self._contexts.move_to_end(key)
        while len(self._contexts) > self.capacity:
            self._contexts.popitem(last=False)
