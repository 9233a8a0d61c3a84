"""End to end: the real bot answering mentions from the fake Discord of the end-to-end tests.

The fake (``tests/support/fake_discord.py``, so ``--e2e`` needs a checkout) serves the REST API
and the gateway on 127.0.0.1 from a process of its own (:mod:`bench.e2e_fake`), which
sends the messages a few at a time (a window of ``WINDOW`` unanswered ones) and times each
reply from the message's dispatch to the REST call that posts it. This process runs the bot
alone, as in production, and a watchdog task on its event loop that wakes every millisecond
measures how long that loop was blocked: by the bot's own work, its garbage collections and,
on a busy machine, the time the process waits for a CPU (the fake's process competes for one).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.e2e_fake import TICK, WINDOW
from bench.questions import Question
from bench.store_timing import StoreCalls, timed
from bench.timing import Latency

if TYPE_CHECKING:
    from bench.config import BenchConfig

__all__ = ["TICK", "WINDOW", "e2e_run"]

TOKEN = "bench-token-0123456789"
CHECKOUT = Path(__file__).resolve().parent.parent
"""Where ``tests/support/fake_discord.py`` is (the fake's process runs from here)."""
FAKE_TIMEOUT = 120.0
"""Longest wait for one line from the fake's process (its start, or all the replies)."""


def e2e_run(
    knowledge_dir: Path, questions: Sequence[Question], config: BenchConfig
) -> dict[str, Any]:
    from bench.config import BenchError

    if not (CHECKOUT / "tests" / "support" / "fake_discord.py").is_file() or (
        importlib.util.find_spec("aiohttp") is None
    ):
        raise BenchError(
            f"--e2e needs the fake Discord of a checkout's tests/support (in {CHECKOUT})"
        )
    work = config.workdir or knowledge_dir.parent
    texts = [q.text for q in questions]
    messages = [texts[i % len(texts)] for i in range(config.e2e_messages)]
    db = config.e2e_db or work / "e2e.sqlite3"
    return asyncio.run(_drive(knowledge_dir, messages, work, db))


async def _drive(
    knowledge_dir: Path, messages: list[str], work: Path, db: Path | str
) -> dict[str, Any]:
    import discord
    import yarl

    from bench.config import BenchError
    from bot.discord_bot.runner import build_bot
    from bot.runtime.cache import load_engine
    from bot.runtime.settings import Settings
    from bot.runtime.store import open_store

    engine = load_engine(knowledge_dir, cache_dir=work / "cache")
    settings = Settings.model_validate(
        {
            "discord_token": TOKEN,
            "db": db,
            "cooldown_seconds": 1.0,
            "cooldown_burst": 1_000_000,
            "message_content": True,
        }
    )
    saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(CHECKOUT), os.environ.get("PYTHONPATH")])),
    }
    fake = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.e2e_fake",
        cwd=CHECKOUT,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert fake.stdin is not None and fake.stdout is not None
    calls = StoreCalls(loop_thread=threading.get_ident())
    store = timed(open_store(settings.db, store_question_text=settings.store_question_text), calls)
    task: asyncio.Task[None] | None = None
    bot = None
    try:
        urls = await _line(fake.stdout)
        if urls is None:
            raise BenchError("the fake Discord's process did not start")
        discord.http.Route.BASE = urls["api_base"]
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(urls["gateway_url"])
        order = {"messages": messages, "disclaimer": engine.knowledge.messages.disclaimer[:40]}
        bot = build_bot(settings, engine, store, guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start(TOKEN))
        await asyncio.wait_for(bot.wait_until_ready(), 30)
        blocked: list[float] = []
        watchdog = asyncio.create_task(_watch(blocked))
        try:
            fake.stdin.write((json.dumps(order) + "\n").encode())
            await fake.stdin.drain()
            results = await _line(fake.stdout)
        finally:
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog
        if results is None:
            raise BenchError("the fake Discord's process stopped before the replies were counted")
        results["max_block_ms"] = max(blocked, default=0.0) * 1000
        results["p99_block_ms"] = Latency.of(blocked).p99_ms
        results.update(calls.figures(settings.db))
        return results
    finally:
        if bot is not None:
            await bot.close()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 5)
        store.close()
        fake.stdin.close()
        try:
            await asyncio.wait_for(fake.wait(), 5)
        except TimeoutError:
            fake.kill()
            await fake.wait()
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = saved


async def _line(stream: asyncio.StreamReader) -> dict[str, Any] | None:
    """The fake's next JSON line; None if it ended (or said nothing in ``FAKE_TIMEOUT``)."""
    try:
        raw = await asyncio.wait_for(stream.readline(), FAKE_TIMEOUT)
    except TimeoutError:
        return None
    if not raw:
        return None
    data: dict[str, Any] = json.loads(raw)
    return data


async def _watch(blocked: list[float]) -> None:
    """How late each wake-up of a 1 ms sleep is: the time the loop could not run anything."""
    loop = asyncio.get_running_loop()
    while True:
        before = loop.time()
        await asyncio.sleep(TICK)
        blocked.append(max(0.0, loop.time() - before - TICK))
