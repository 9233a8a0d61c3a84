"""The running bot, seen from outside: its gateway state and latency feed the metrics, and
``MEDFAQ_METRICS_PORT`` serves ``/healthz`` and ``/metrics`` (``runtime/health.py``) while it
runs."""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import AsyncIterator

from bot.runtime.health import Check, HealthServer

from .client import MedfaqBot

log = logging.getLogger(__name__)


def watch(bot: MedfaqBot) -> None:
    """Let the bot's metrics read its gateway latency per shard and its knowledge version."""
    metrics = bot.services.metrics
    metrics.watch_gateway(lambda: bot.latencies)
    metrics.watch_knowledge(bot.services.knowledge)


def gateway_check(bot: MedfaqBot) -> Check:
    """Connected: every shard of this process has its gateway socket open and is ready."""
    if bot.is_closed():
        return Check(False, "closed")
    if not bot.is_ready():
        return Check(False, "not connected yet")
    closed = sorted(shard_id for shard_id, shard in bot.shards.items() if shard.is_closed())
    if closed:
        return Check(False, f"shards {closed} disconnected")
    latencies = ", ".join(
        f"shard {shard_id}: {latency * 1000:.0f} ms"
        for shard_id, latency in bot.latencies
        if math.isfinite(latency)
    )
    return Check(True, f"{len(bot.shards)} shard(s) connected; {latencies or 'no heartbeat yet'}")


@contextlib.asynccontextmanager
async def health_endpoint(bot: MedfaqBot) -> AsyncIterator[int | None]:
    """Serve ``/healthz`` and ``/metrics`` while the block runs; yields the port (None: off)."""
    settings = bot.services.settings
    if settings.metrics_port is None:
        yield None
        return
    server = HealthServer(
        metrics=bot.services.metrics,
        gateway=lambda: gateway_check(bot),
        knowledge=bot.services.knowledge,
        store=bot.services.store,
    )
    try:
        port = await server.start(settings.metrics_host, settings.metrics_port)
    except OSError as exc:
        # The bot still answers; the operator's monitoring will miss it and this says why.
        log.error(
            "cannot serve /healthz and /metrics on %s:%d: %s (set MEDFAQ_METRICS_PORT to a "
            "free port)",
            settings.metrics_host,
            settings.metrics_port,
            exc.strerror or exc,
        )
        yield None
        return
    try:
        yield port
    finally:
        await server.stop()
