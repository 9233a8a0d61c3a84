"""The end-to-end bench's fake Discord, in a process of its own: ``python -m bench.e2e_fake``.

Run from a checkout (it serves ``tests/support/fake_discord.py``), so that its work (parsing the
bot's requests, keeping a record of each, sending the messages) is not done on the bot's event
loop and its records are not in the bot's heap, where the watchdog would count both as the
bot's blocks. The protocol is one JSON line each way at a time, on standard input and output:

1. it prints ``{"api_base": ..., "gateway_url": ...}`` once it serves on 127.0.0.1;
2. it reads ``{"messages": [...], "disclaimer": ...}``, waits until the bot has identified,
   then sends the messages as mentions, ``WINDOW`` unanswered at a time, and prints the figures:
   replies, seconds, replies per second, p50/p99/max from message to reply (both measured here,
   on one clock), and how many replies carry the disclaimer or the emergency text;
3. it serves on until standard input closes.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

from bench.timing import Latency

WINDOW = 8
"""Messages in flight at once: a busy server, not one flood of thousands at the same instant."""
TICK = 0.001
READY_TIMEOUT = 60.0
DRAIN_TIMEOUT = 30.0


async def serve() -> None:
    from tests.support.fake_discord import FakeDiscord

    async with FakeDiscord() as fake:
        _say({"api_base": fake.api_base, "gateway_url": fake.gateway_url})
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            return
        order = json.loads(line)
        await fake.wait_ready(timeout=READY_TIMEOUT)
        results = await send_all(fake, order["messages"])
        results["replies_with_disclaimer_or_emergency"] = genuine(fake, order["disclaimer"])
        _say(results)
        while await asyncio.to_thread(sys.stdin.readline):
            pass


def _say(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


async def send_all(fake: Any, messages: list[str]) -> dict[str, Any]:
    sent_at: dict[int, float] = {}
    latencies: list[float] = []
    seen = len(fake.calls)
    start = time.monotonic()
    pending = 0
    for question in messages:
        while pending >= WINDOW:
            seen, answered = collect(fake, seen, sent_at, latencies)
            pending -= answered
            if pending >= WINDOW:
                await asyncio.sleep(TICK)
        message = fake.mention(question)
        sent_at[int(message["id"])] = time.monotonic()
        await fake.dispatch("MESSAGE_CREATE", message)
        pending += 1
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while pending and time.monotonic() < deadline:
        await asyncio.sleep(TICK)
        seen, answered = collect(fake, seen, sent_at, latencies)
        pending -= answered
    elapsed = time.monotonic() - start
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
    }


def collect(
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


def genuine(fake: Any, disclaimer: str) -> int:
    """Replies that are the engine's (its disclaimer, or the emergency text), not errors."""
    return sum(
        1
        for call in fake.calls
        if call.method == "POST"
        and isinstance(call.body, dict)
        and call.body.get("message_reference")
        and (disclaimer in call.content or "emergency" in call.content.lower())
    )


if __name__ == "__main__":
    asyncio.run(serve())
