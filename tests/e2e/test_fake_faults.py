"""The fake Discord's fault controls work with the real bot (the ground for fault tests)."""

from __future__ import annotations

from ..support.fake_discord import CHANNEL_ID, Call, FakeDiscord
from .conftest import Running

MESSAGES = f"/channels/{CHANNEL_ID}/messages"


async def test_a_429_then_a_500_are_retried_and_the_reply_arrives_once(running: Running) -> None:
    fake = running.fake
    fake.fail_next("POST", MESSAGES, 429, retry_after=0.1)
    fake.fail_next("POST", MESSAGES, 500)
    start = len(fake.calls)
    await fake.dispatch("MESSAGE_CREATE", fake.mention("what are the side effects of gabapentin?"))

    def posts() -> list[Call]:
        return [c for c in fake.calls[start:] if c.method == "POST" and c.path == MESSAGES]

    await fake.wait_until(lambda: len(posts()) >= 3, timeout=10)
    await fake.settle(0.5)
    # The same answer three times: refused (429), failed (500), then through; nothing else.
    assert len(posts()) == 3
    assert all("Dizziness" in c.content for c in posts())
    assert len(running.store.questions()) == 1


async def test_a_dropped_gateway_is_resumed_and_the_bot_keeps_answering(running: Running) -> None:
    fake = running.fake
    await fake.drop_connections()
    await fake.wait_until(lambda: fake.resumes == 1)
    start = len(fake.calls)
    await fake.dispatch("MESSAGE_CREATE", fake.mention("what are the side effects of gabapentin?"))
    call = await fake.wait_for_call("POST", MESSAGES, after=start)
    assert "Dizziness" in call.content


def test_the_ping_check_catches_a_message_that_could_ping() -> None:
    fake = FakeDiscord()
    safe = {"content": "hi", "allowed_mentions": {"parse": [], "replied_user": False}}
    fake.calls.append(Call("POST", MESSAGES, {}, safe))
    assert fake.calls_that_could_ping() == []
    for risky in (
        {"content": "@everyone"},
        {"content": "hi", "allowed_mentions": {"parse": ["everyone"]}},
        {"embeds": [], "allowed_mentions": {"parse": [], "replied_user": True}},
        {"type": 4, "data": {"content": "x", "allowed_mentions": {"parse": ["users"]}}},
    ):
        fake.calls.append(Call("POST", MESSAGES, {}, risky))
    assert len(fake.calls_that_could_ping()) == 4
