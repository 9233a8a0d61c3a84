"""Hot reload: swap in new knowledge only when it validates; otherwise keep the last good.

Used by ``/medfaq reload`` and ``medfaq run --watch``. Loading runs in a worker thread so
the event loop keeps answering while thousands of files are read. A new engine is frozen out
of the cyclic garbage collector (:func:`bot.cache.freeze_for_serving`), as at start.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine.engine import Engine
from bot.knowledge.loading import KnowledgeBase, load_knowledge
from bot.knowledge.yamlsource import KnowledgeError, Problem
from bot.runtime.cache import file_stamps, freeze_for_serving
from bot.runtime.once import ReportOnce

log = logging.getLogger(__name__)

EngineFactory = Callable[[KnowledgeBase], Engine]


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    summary: str
    problems: list[Problem] = field(default_factory=list)

    def describe(self, limit: int = 10) -> str:
        if self.ok:
            return f"Reloaded: {self.summary}."
        shown = "\n".join(str(p) for p in self.problems[:limit])
        more = len(self.problems) - limit
        extra = f"\n…and {more} more" if more > 0 else ""
        return (
            f"Reload refused, still answering from the last good knowledge ({self.summary}).\n"
            f"{shown}{extra}"
        )


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file's relative path, size and modification time: changes when any file does."""
    return tuple(file_stamps(root))


class KnowledgeHolder:
    """The engine in use. Front ends read :attr:`engine` for every question.

    Reloads are serialised (a lock), so ``/medfaq reload`` and the watcher never interleave.
    """

    def __init__(
        self, root: Path, make_engine: EngineFactory = Engine, *, engine: Engine | None = None
    ) -> None:
        """Load ``root`` now, or start from ``engine`` (already loaded from ``root``)."""
        self.root = root
        self._make_engine = make_engine
        self._lock = threading.Lock()
        self._fingerprint = fingerprint(root)
        self.engine = engine if engine is not None else make_engine(load_knowledge(root))

    def __repr__(self) -> str:
        return f"KnowledgeHolder({str(self.root)!r})"

    @property
    def version(self) -> str:
        """A short digest of the knowledge files in use (paths, sizes, times): it changes
        whenever a reload takes new files, so operators can see which knowledge serves."""
        return hashlib.sha256(repr(self._fingerprint).encode()).hexdigest()[:12]

    def changed(self) -> bool:
        return fingerprint(self.root) != self._fingerprint

    def reload(self) -> ReloadResult:
        with self._lock:
            return self._reload()

    def _reload(self) -> ReloadResult:
        stamp = fingerprint(self.root)
        try:
            engine = self._make_engine(load_knowledge(self.root))
        except KnowledgeError as exc:
            self._fingerprint = stamp  # do not retry the same broken files every poll
            current = self.engine.knowledge.summary()
            for problem in exc.problems:
                log.warning("reload refused: %s", problem)
            return ReloadResult(False, current, exc.problems)
        self.engine = engine
        self._fingerprint = stamp
        # One full collection now (a pause, once per reload) rather than every later one
        # walking the new engine's objects.
        freeze_for_serving()
        summary = engine.knowledge.summary()
        log.info("knowledge reloaded from %s: %s", self.root, summary)
        return ReloadResult(True, summary)

    async def reload_async(self) -> ReloadResult:
        return await asyncio.to_thread(self.reload)

    async def watch(
        self,
        interval: float = 2.0,
        on_result: Callable[[ReloadResult], Awaitable[None]] | None = None,
    ) -> None:
        """Poll for changed files and reload; runs until cancelled."""
        report = ReportOnce(log, f"watch {self.root}")
        while True:
            await asyncio.sleep(interval)
            try:
                if await asyncio.to_thread(self.changed):
                    result = await self.reload_async()
                    if on_result is not None:
                        await on_result(result)
            except Exception as exc:  # the folder gone, say: try again next time
                report.failed(exc, "; still watching")
            else:
                report.succeeded()
