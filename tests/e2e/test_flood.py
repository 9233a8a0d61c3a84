"""A flood of 1,000 messages from one member: the cooldown holds (the default burst answered,
one notice, the rest dropped) and another member asking in the middle is answered promptly.
A slow question log (a shared database) holds up no one else."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from bot.engine.engine import Engine
from bot.runtime.settings import Settings
from bot.runtime.store import QuestionRecord

from ..support.fake_discord import CHANNEL_ID, MEMBER_ID, FakeDiscord, user
from .conftest import Running, bot_settings, running_bot
from .helpers import interact, posts_since

FLOOD = 1_000
OTHER_AT = FLOOD // 2
PROMPT_SECONDS = 2.0
SLOW_WRITE = 0.5


async def test_a_flood_from_one_member_is_held_and_others_still_get_answers(
    fake_discord: FakeDiscord, engine: Engine, tmp_path: Path
) -> None:
    burst = Settings.model_fields["cooldown_burst"].default
    seconds = Settings.model_fields["cooldown_seconds"].default
    assert (burst, seconds) == (10, 30.0)
    settings = bot_settings(tmp_path, cooldown_burst=burst, cooldown_seconds=seconds)
    fake = fake_discord
    other = user(MEMBER_ID + 1, "other")
    async with running_bot(fake, engine, settings) as running:
        start = len(fake.calls)
        began = time.monotonic()
        flood_ids: set[int] = set()
        other_id = 0
        other_sent = 0.0
        for index in range(FLOOD):
            message = fake.mention(f"side effects of gabapentin? ({index})")
            flood_ids.add(int(message["id"]))
            await fake.dispatch("MESSAGE_CREATE", message)
            if index == OTHER_AT:
                asked = fake.mention("what is amitriptyline used for?", author=other)
                other_id = int(asked["id"])
                other_sent = time.monotonic()
                await fake.dispatch("MESSAGE_CREATE", asked)
        reply = await fake.wait_for_call(
            "POST",
            f"/channels/{CHANNEL_ID}/messages",
            after=start,
            timeout=10,
            where=lambda c: c.body.get("message_reference", {}).get("message_id") == other_id,
        )
        other_latency = reply.at - other_sent
        await fake.settle(0.3)
        elapsed = time.monotonic() - began

        posts = posts_since(fake, start, CHANNEL_ID)
        to_flood = [
            c for c in posts if c.body.get("message_reference", {}).get("message_id") in flood_ids
        ]
        notices = [c for c in to_flood if "asking quickly" in c.content]
        answers = [c for c in to_flood if "Dizziness" in c.content]
        assert len(answers) == burst, f"{len(answers)} answers to the flood"
        assert len(notices) == 1, f"{len(notices)} cooldown notices"
        assert len(to_flood) == burst + 1
        assert "Amitriptyline" in reply.content
        assert other_latency < PROMPT_SECONDS, f"the other member waited {other_latency:.2f} s"
        assert [q.kind for q in running.store.questions()].count("answer") == burst + 1
    print(
        f"flood: {FLOOD} messages in {elapsed:.2f} s; {len(answers)} answers, "
        f"{len(notices)} notice; the other member's reply after {other_latency * 1000:.0f} ms"
    )


async def test_a_slow_question_log_does_not_hold_up_the_event_loop(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write waiting 0.5 s (another process holds the shared database) runs in a worker
    thread: meanwhile the bot answers autocomplete and a second member's question."""
    fake = running.fake
    write = running.store.log_question
    slow = threading.Event()

    def log_question(record: QuestionRecord) -> int:
        if record.asker == MEMBER_ID:
            slow.set()
            time.sleep(SLOW_WRITE)
        return write(record)

    monkeypatch.setattr(running.store, "log_question", log_question)
    start = len(fake.calls)
    first = fake.mention("side effects of gabapentin?")
    await fake.dispatch("MESSAGE_CREATE", first)
    await fake.wait_until(slow.is_set)
    began = time.monotonic()
    typed = fake.autocomplete(
        "ask", [{"name": "question", "type": 3, "value": "gaba", "focused": True}]
    )
    await interact(fake, typed)
    autocomplete_after = time.monotonic() - began
    other = fake.mention("what is amitriptyline used for?", author=user(MEMBER_ID + 1, "other"))
    await fake.dispatch("MESSAGE_CREATE", other)
    reply = await fake.wait_for_call(
        "POST",
        f"/channels/{CHANNEL_ID}/messages",
        after=start,
        where=lambda c: c.body.get("message_reference", {}).get("message_id") == int(other["id"]),
    )
    other_after = reply.at - began
    slow_reply = await fake.wait_for_call(
        "POST",
        f"/channels/{CHANNEL_ID}/messages",
        after=start,
        where=lambda c: c.body.get("message_reference", {}).get("message_id") == int(first["id"]),
    )
    assert autocomplete_after < SLOW_WRITE / 2 and other_after < SLOW_WRITE
    assert slow_reply.at > reply.at and "Dizziness" in slow_reply.content
    assert len(running.store.questions()) == 2
