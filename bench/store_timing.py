"""Every store call the end-to-end bench's bot makes, timed, and whether it ran on the event
loop's own thread (where it would hold up every other member's answer) or in a worker."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from bench.timing import Latency
from bot.runtime.store import Store, is_postgres_url


@dataclass
class StoreCalls:
    loop_thread: int
    on_loop: list[tuple[str, float]] = field(default_factory=list)
    in_workers: list[float] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, seconds: float) -> None:
        with self._lock:
            if threading.get_ident() == self.loop_thread:
                self.on_loop.append((name, seconds))
            else:
                self.in_workers.append(seconds)

    def figures(self, target: Path | str) -> dict[str, Any]:
        longest_on_loop = max(self.on_loop, key=lambda call: call[1], default=("", 0.0))
        return {
            "store": "postgresql" if is_postgres_url(target) else "sqlite",
            "store_calls": len(self.on_loop) + len(self.in_workers),
            "store_calls_on_loop": len(self.on_loop),
            "max_store_call_on_loop_ms": longest_on_loop[1] * 1000,
            "max_store_call_on_loop": longest_on_loop[0] or None,
            "max_store_call_in_workers_ms": max(self.in_workers, default=0.0) * 1000,
            "p99_store_call_in_workers_ms": Latency.of(self.in_workers).p99_ms,
        }


class TimedStore:
    """``store`` with each public method timed into ``calls``."""

    def __init__(self, store: Store, calls: StoreCalls) -> None:
        self._store = store
        self._calls = calls

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._store, name)
        if name.startswith("_") or not callable(found):
            return found
        method: Callable[..., Any] = found

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self._calls.add(name, time.perf_counter() - started)

        return timed


def timed(store: Store, calls: StoreCalls) -> Store:
    return cast(Store, TimedStore(store, calls))
