"""``/healthz`` and ``/metrics`` over HTTP, for operators and their monitoring.

Off unless ``MEDFAQ_METRICS_PORT`` is set; bound to 127.0.0.1 unless ``MEDFAQ_METRICS_HOST``
says otherwise (put a scraper on the same host, or a proxy in front, rather than exposing it).
``/healthz`` answers 200 when the gateway is connected, the knowledge is loaded and the store
answers, else 503; both with JSON saying which check failed. ``/metrics`` is Prometheus' text
format (see ``metrics.py`` for the names).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.runtime.metrics import Metrics
from bot.runtime.reloading import KnowledgeHolder
from bot.runtime.store import Store

log = logging.getLogger(__name__)

STORE_TIMEOUT_SECONDS = 2.0
"""A store that does not answer a ping in this long is reported unreachable."""


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


class HealthServer:
    def __init__(
        self,
        *,
        metrics: Metrics,
        gateway: Callable[[], Check],
        knowledge: KnowledgeHolder,
        store: Store,
    ) -> None:
        self.metrics = metrics
        self.gateway = gateway
        self.knowledge = knowledge
        self.store = store
        self._runner: web.AppRunner | None = None

    async def start(self, host: str, port: int) -> int:
        """Listen on ``host:port`` (0: any free port); return the port."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = int(self._runner.addresses[0][1])
        log.info("health and metrics on http://%s:%d/healthz and /metrics", host, bound)
        return bound

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def checks(self) -> dict[str, Check]:
        return {
            "gateway": self.gateway(),
            "knowledge": self._knowledge(),
            "store": await self._store(),
        }

    def _knowledge(self) -> Check:
        engine = self.knowledge.engine
        summary = engine.knowledge.summary()
        ok = bool(engine.knowledge.drugs)
        return Check(ok, f"{summary} (version {self.knowledge.version})")

    async def _store(self) -> Check:
        try:
            await asyncio.wait_for(asyncio.to_thread(self.store.ping), STORE_TIMEOUT_SECONDS)
        except TimeoutError:
            self.metrics.store_errors.labels(operation="ping").inc()
            return Check(False, f"{self.store.where}: no answer in {STORE_TIMEOUT_SECONDS:g} s")
        except Exception as exc:
            self.metrics.store_errors.labels(operation="ping").inc()
            return Check(False, f"{self.store.where}: {type(exc).__name__}: {exc}")
        return Check(True, self.store.where)

    async def _healthz(self, request: web.Request) -> web.Response:
        checks = await self.checks()
        healthy = all(check.ok for check in checks.values())
        body = {"ok": healthy, "checks": {name: asdict(c) for name, c in checks.items()}}
        return web.json_response(body, status=200 if healthy else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        return web.Response(
            body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )
