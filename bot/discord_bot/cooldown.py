"""Per-member rate limit: at most ``burst`` questions in any ``seconds``-long window.

Over the limit, the first refused question in a window gets a short polite notice and the rest
are dropped silently, so a flood never turns into a flood of notices.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

MAX_TRACKED = 50_000
"""Members remembered at once; idle ones are forgotten first."""


class Verdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"
    """Refused; tell the member once."""
    SILENT = "silent"
    """Refused; already told in this window."""


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    retry_after: float = 0.0

    @property
    def allowed(self) -> bool:
        return self.verdict is Verdict.ALLOW


class Cooldown:
    def __init__(
        self, *, burst: int, seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.seconds = seconds
        self._clock = clock
        self._asked: dict[int, deque[float]] = {}
        self._notified_until: dict[int, float] = {}

    def check(self, member_id: int) -> Decision:
        """Record a question from ``member_id`` if allowed, and say what to do with it."""
        if self.seconds <= 0:
            return Decision(Verdict.ALLOW)
        now = self._clock()
        times = self._asked.pop(member_id, None) or deque()
        self._asked[member_id] = times  # re-inserted last: dict order is least recently used
        while times and now - times[0] >= self.seconds:
            times.popleft()
        if len(times) < self.burst:
            times.append(now)
            self._forget_idle()
            return Decision(Verdict.ALLOW)
        retry_after = self.seconds - (now - times[0])
        if self._notified_until.get(member_id, 0.0) > now:
            return Decision(Verdict.SILENT, retry_after)
        self._notified_until[member_id] = now + retry_after
        return Decision(Verdict.NOTIFY, retry_after)

    def _forget_idle(self) -> None:
        while len(self._asked) > MAX_TRACKED:
            oldest = next(iter(self._asked))
            del self._asked[oldest]
            self._notified_until.pop(oldest, None)
