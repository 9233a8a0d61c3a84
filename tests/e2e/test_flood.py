"""A flood of 1,000 messages from one member: the cooldown holds (the default burst answered,
one notice, the rest dropped) and another member asking in the middle is answered promptly."""

from __future__ import annotations

import time
from pathlib import Path

from bot.engine import Engine
from bot.settings import Settings

from .conftest import bot_settings, running_bot
from .fake_discord import CHANNEL_ID, MEMBER_ID, FakeDiscord, user
from .helpers import posts_since

FLOOD = 1_000
OTHER_AT = FLOOD // 2
PROMPT_SECONDS = 2.0


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
