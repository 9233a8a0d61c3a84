"""End to end: the real bot answering mentions from the fake Discord of the end-to-end tests.

The fake (``tests/e2e/fake_discord.py``, so ``--e2e`` needs a checkout) serves the REST API
and the gateway on 127.0.0.1 from this process. Messages are sent a few at a time (a window of
``WINDOW`` unanswered ones); each reply is timed from the message's dispatch to the REST call
that posts it. A watchdog task that wakes every millisecond measures how long the event loop
was blocked. The fake serves from the same event loop, so its own work counts as blocking
too, and on a busy machine so does the time the process waits for a CPU.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.bench.questions import Question
from bot.bench.timing import Latency

if TYPE_CHECKING:
    from bot.bench.run import BenchConfig

WINDOW = 8
"""Messages in flight at once: a busy server, not one flood of thousands at the same instant."""
TICK = 0.001
TOKEN = "bench-token-0123456789"


def e2e_run(
    knowledge_dir: Path, questions: Sequence[Question], config: BenchConfig
) -> dict[str, Any]:
    from bot.bench.run import BenchError

    try:
        fake_module = importlib.import_module("tests.e2e.fake_discord")
    except ImportError as exc:
        raise BenchError(f"--e2e needs the fake Discord of a checkout's tests/e2e: {exc}") from exc
    work = config.workdir or knowledge_dir.parent
    texts = [q.text for q in questions]
    messages = [texts[i % len(texts)] for i in range(config.e2e_messages)]
    return asyncio.run(_drive(fake_module, knowledge_dir, messages, work))


async def _drive(
    fake_module: Any, knowledge_dir: Path, messages: list[str], work: Path
) -> dict[str, Any]:
    import discord
    import yarl

    from bot.cache import load_engine
    from bot.discord_bot.runner import build_bot
    from bot.settings import Settings
    from bot.storage import Store

    engine = load_engine(knowledge_dir, cache_dir=work / "cache")
    settings = Settings.model_validate(
        {
            "discord_token": TOKEN,
            "db": work / "e2e.sqlite3",
            "cooldown_seconds": 1.0,
            "cooldown_burst": 1_000_000,
            "message_content": True,
        }
    )
    saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    async with fake_module.FakeDiscord() as fake:
        discord.http.Route.BASE = fake.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
        store = Store(settings.db, store_question_text=settings.store_question_text)
        bot = build_bot(settings, engine, store, guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start(TOKEN))
        try:
            await fake.wait_ready(timeout=30)
            await bot.wait_until_ready()
            results = await _send_all(fake, messages)
            results["replies_with_disclaimer_or_emergency"] = _genuine(fake, engine)
            return results
        finally:
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 5)
            store.close()
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


async def _send_all(fake: Any, messages: list[str]) -> dict[str, Any]:
    blocked: list[float] = []
    watchdog = asyncio.create_task(_watch(blocked))
    sent_at: dict[int, float] = {}
    latencies: list[float] = []
    seen = len(fake.calls)
    start = time.monotonic()
    pending = 0
    try:
        for question in messages:
            while pending >= WINDOW:
                seen, answered = _collect(fake, seen, sent_at, latencies)
                pending -= answered
                if pending >= WINDOW:
                    await asyncio.sleep(TICK)
            message = fake.mention(question)
            sent_at[int(message["id"])] = time.monotonic()
            await fake.dispatch("MESSAGE_CREATE", message)
            pending += 1
        deadline = time.monotonic() + 30
        while pending and time.monotonic() < deadline:
            await asyncio.sleep(TICK)
            seen, answered = _collect(fake, seen, sent_at, latencies)
            pending -= answered
        elapsed = time.monotonic() - start
    finally:
        watchdog.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watchdog
    latency = Latency.of(latencies)
    return {
        "messages": len(messages),
        "replies": len(latencies),
        "window": WINDOW,
        "seconds": elapsed,
        "replies_per_second": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": latency.p50_ms,
        "p99_ms": latency.p99_ms,
        "max_ms": latency.max_ms,
        "max_block_ms": max(blocked, default=0.0) * 1000,
        "p99_block_ms": Latency.of(blocked).p99_ms,
    }


def _genuine(fake: Any, engine: Any) -> int:
    """Replies that are the engine's (its disclaimer, or the emergency text), not errors."""
    disclaimer = engine.knowledge.messages.disclaimer[:40]
    return sum(
        1
        for call in fake.calls
        if call.method == "POST"
        and isinstance(call.body, dict)
        and call.body.get("message_reference")
        and (disclaimer in call.content or "emergency" in call.content.lower())
    )


def _collect(
    fake: Any, seen: int, sent_at: dict[int, float], latencies: list[float]
) -> tuple[int, int]:
    """Replies among the calls since ``seen``: their latencies noted; (new seen, how many)."""
    calls = fake.calls
    answered = 0
    for call in calls[seen:]:
        body = call.body if isinstance(call.body, dict) else {}
        reference = body.get("message_reference") or {}
        asked = sent_at.pop(int(reference.get("message_id", 0) or 0), None)
        if call.method == "POST" and asked is not None:
            latencies.append(call.at - asked)
            answered += 1
    return len(calls), answered


async def _watch(blocked: list[float]) -> None:
    """How late each wake-up of a 1 ms sleep is: the time the loop could not run anything."""
    loop = asyncio.get_running_loop()
    while True:
        before = loop.time()
        await asyncio.sleep(TICK)
        blocked.append(max(0.0, loop.time() - before - TICK))
