"""Prometheus metrics for operators: what the bot answered, how fast, and what went wrong.

Each bot has its own :class:`Metrics` (its own registry, so tests and benches can run several
bots in one process); ``health.py`` serves them at ``/metrics`` when ``MEDFAQ_METRICS_PORT``
is set. Names, for dashboards and alerts:

- ``medfaq_replies_total{kind}``: replies by kind (answer, clarify, fallback, emergency)
- ``medfaq_answer_seconds``: time from a question to its reply being ready (engine and log)
- ``medfaq_emergencies_total``: emergency replies (also counted in replies_total)
- ``medfaq_cooldown_refusals_total``: questions refused by the per-member cooldown
- ``medfaq_store_errors_total{operation}``: question-log and guild-settings calls that failed
- ``medfaq_gateway_latency_seconds{shard}``: heartbeat round trip per shard of this process
- ``medfaq_knowledge_info{version, drugs}``: the knowledge serving now (value 1)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.runtime.reloading import KnowledgeHolder

ANSWER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Seconds; most answers take a few milliseconds, a slow store write can take seconds."""


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.replies = Counter(
            "medfaq_replies", "Replies by kind", ["kind"], registry=self.registry
        )
        self.answer_seconds = Histogram(
            "medfaq_answer_seconds",
            "Time from a question to its reply being ready (engine and question log)",
            buckets=ANSWER_BUCKETS,
            registry=self.registry,
        )
        self.emergencies = Counter(
            "medfaq_emergencies", "Emergency replies", registry=self.registry
        )
        self.cooldown_refusals = Counter(
            "medfaq_cooldown_refusals",
            "Questions refused by the per-member cooldown",
            registry=self.registry,
        )
        self.store_errors = Counter(
            "medfaq_store_errors",
            "Question log and guild settings calls that failed",
            ["operation"],
            registry=self.registry,
        )
        self._live = _LiveValues()
        self.registry.register(self._live)

    def replied(self, kind: str, seconds: float) -> None:
        self.replies.labels(kind=kind).inc()
        self.answer_seconds.observe(seconds)
        if kind == "emergency":
            self.emergencies.inc()

    def watch_gateway(self, latencies: Callable[[], Iterable[tuple[int, float]]]) -> None:
        """Report ``latencies()`` (shard id, seconds) at each scrape."""
        self._live.latencies = latencies

    def watch_knowledge(self, knowledge: KnowledgeHolder) -> None:
        self._live.knowledge = knowledge

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)


class _LiveValues(Collector):
    """Values read when scraped, not counted as they happen."""

    def __init__(self) -> None:
        self.latencies: Callable[[], Iterable[tuple[int, float]]] | None = None
        self.knowledge: KnowledgeHolder | None = None

    def describe(self) -> Iterable[Metric]:
        return []

    def collect(self) -> Iterator[Metric]:
        gateway = GaugeMetricFamily(
            "medfaq_gateway_latency_seconds",
            "Heartbeat round trip to Discord's gateway, per shard of this process",
            labels=["shard"],
        )
        for shard, seconds in self.latencies() if self.latencies else ():
            if math.isfinite(seconds):
                gateway.add_metric([str(shard)], seconds)
        yield gateway
        if self.knowledge is not None:
            info = InfoMetricFamily("medfaq_knowledge", "The knowledge serving now")
            info.add_metric(
                [],
                {
                    "version": self.knowledge.version,
                    "drugs": str(len(self.knowledge.engine.knowledge.drugs)),
                },
            )
            yield info
