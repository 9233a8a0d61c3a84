"""Mentions, answer channels, DMs, other bots, cooldown, follow-ups: real bot, fake Discord.

Each test dispatches gateway events and asserts on the REST calls the bot makes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.engine.engine import Engine

from ..support.fake_discord import (
    ANSWER_CHANNEL_ID,
    BOT_ID,
    CHANNEL_ID,
    GUILD_ID,
    MEMBER_ID,
    Call,
    FakeDiscord,
    user,
)
from .conftest import Running, bot_settings, running_bot

DISCLAIMER = "Not medical advice"
NO_PING = {"parse": [], "replied_user": False}
ANY_MESSAGE = re.compile(r"/channels/\d+/messages")


async def say(fake: FakeDiscord, data: dict[str, object], channel_id: int = CHANNEL_ID) -> Call:
    start = len(fake.calls)
    await fake.dispatch("MESSAGE_CREATE", data)
    return await fake.wait_for_call("POST", f"/channels/{channel_id}/messages", after=start)


async def nothing_sent(fake: FakeDiscord, data: dict[str, object]) -> None:
    start = len(fake.calls)
    await fake.dispatch("MESSAGE_CREATE", data)
    await fake.settle(0.4)
    assert [c for c in fake.calls[start:] if c.method == "POST"] == []


async def test_mention_is_answered_as_a_reply_with_the_disclaimer(running: Running) -> None:
    fake = running.fake
    sent = fake.mention("what are the side effects of gabapentin?")
    call = await say(fake, sent)
    assert "Dizziness" in call.content
    assert DISCLAIMER in call.content
    assert call.body["message_reference"]["message_id"] == int(sent["id"])
    assert call.body["allowed_mentions"] == NO_PING
    embed = call.body["embeds"][0]
    assert "Gabapentin" in embed["title"]
    assert DISCLAIMER in embed["footer"]["text"]
    assert len(call.custom_ids) == 2 and all(i.startswith("medfaq:fb:") for i in call.custom_ids)
    logged = running.store.questions()
    assert [(q.source, q.kind, q.drug) for q in logged] == [("mention", "answer", "gabapentin")]
    assert logged[0].guild_id == GUILD_ID and logged[0].asker_hash != str(MEMBER_ID)


async def test_emergency_mention_gets_plain_prominent_text(running: Running) -> None:
    call = await say(running.fake, running.fake.mention("I took too many pills"))
    assert "emergency" in call.content.lower()
    assert call.body.get("embeds") in (None, [])
    assert "Dizziness" not in call.content
    assert call.body["allowed_mentions"] == NO_PING


async def test_off_topic_gets_a_fallback_without_drug_content(running: Running) -> None:
    call = await say(running.fake, running.fake.mention("what time is it"))
    text = call.content
    for drug_fact in ("Dizziness", "Drowsiness", "Dry mouth", "nerve pain", "Neuropathic"):
        assert drug_fact.casefold() not in text.casefold()
    assert call.custom_ids == []
    assert running.store.questions()[0].kind == "fallback"


async def test_everyone_inside_a_question_cannot_ping(running: Running) -> None:
    fake = running.fake
    sent = fake.mention("@everyone @here <@&123> what are the side effects of gabapentin?")
    call = await say(fake, sent)
    assert call.body["allowed_mentions"] == NO_PING
    assert "@everyone" not in call.content and "@here" not in call.content
    assert "Dizziness" in call.content


async def test_other_bots_and_itself_are_ignored(running: Running) -> None:
    fake = running.fake
    await nothing_sent(fake, fake.mention("side effects of gabapentin?", author=fake.other_bot))
    await nothing_sent(fake, fake.mention("side effects of gabapentin?", author=fake.bot_user))
    assert running.store.questions() == []


async def test_plain_message_outside_answer_channels_is_ignored(running: Running) -> None:
    fake = running.fake
    await nothing_sent(fake, fake.message("what are the side effects of gabapentin?"))


async def test_answer_channel_answers_every_message(running: Running) -> None:
    fake = running.fake
    running.store.add_answer_channel(GUILD_ID, ANSWER_CHANNEL_ID)
    sent = fake.message("does gabapentin make you dizzy", channel_id=ANSWER_CHANNEL_ID)
    call = await say(fake, sent, ANSWER_CHANNEL_ID)
    assert DISCLAIMER in call.content
    assert running.store.questions()[0].source == "channel"


async def test_dm_is_answered(running: Running) -> None:
    fake = running.fake
    dm_channel = fake.dm_channel_id(MEMBER_ID)
    sent = fake.message("how does amitriptyline work?", guild=False, channel_id=dm_channel)
    call = await say(fake, sent, dm_channel)
    assert DISCLAIMER in call.content
    assert running.store.questions()[0].source == "dm"


async def test_dms_can_be_turned_off(
    fake_discord: FakeDiscord, engine: Engine, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path, allow_dms=False)
    async with running_bot(fake_discord, engine, settings) as state:
        fake = fake_discord
        dm_channel = fake.dm_channel_id(MEMBER_ID)
        sent = fake.message("how does amitriptyline work?", guild=False, channel_id=dm_channel)
        await nothing_sent(fake, sent)
        ask = {"name": "question", "type": 3, "value": "how does amitriptyline work?"}
        slash = fake.slash("ask", [ask], guild=False, channel_id=dm_channel)
        start = len(fake.calls)
        await fake.dispatch("INTERACTION_CREATE", slash)
        refused = await fake.wait_for_call(
            "POST", f"/interactions/{slash['id']}/{slash['token']}/callback", after=start
        )
        assert "not in direct messages" in refused.content
        assert state.store.questions() == []


async def test_empty_mention_gets_a_hint(running: Running) -> None:
    call = await say(running.fake, running.fake.message(f"<@{BOT_ID}>"))
    assert "/ask" in call.content


async def test_follow_up_keeps_the_context(running: Running) -> None:
    fake = running.fake
    await say(fake, fake.mention("what are the side effects of gabapentin?"))
    call = await say(fake, fake.mention("what about amitriptyline?"))
    assert "Amitriptyline" in call.content
    assert "Dry mouth" in call.content or "Drowsiness" in call.content
    other = fake.mention("what about amitriptyline?", author=user(MEMBER_ID + 5, "someone"))
    fresh = await say(fake, other)
    assert running.store.questions()[-1].topic != "side_effects" or fresh.content != call.content


async def test_cooldown_notice_once_then_silence(
    fake_discord: FakeDiscord, engine: Engine, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path, cooldown_burst=2, cooldown_seconds=60)
    async with running_bot(fake_discord, engine, settings):
        fake = fake_discord
        start = len(fake.calls)
        for _ in range(5):
            await fake.dispatch("MESSAGE_CREATE", fake.mention("side effects of gabapentin?"))
        await fake.settle(0.4)
        posts = [c for c in fake.calls[start:] if c.method == "POST" and ANY_MESSAGE.match(c.path)]
        # Answers wait for the question log (a worker thread); the notice may go out first.
        assert len(posts) == 3
        assert sorted("Dizziness" in p.content for p in posts) == [False, True, True]
        assert sum("wait" in p.content.lower() for p in posts) == 1
        # An emergency is never held back by the cooldown for ordinary questions.
        emergency = await say(fake, fake.mention("I took too many pills"))
        assert "emergency" in emergency.content.lower()
        # Someone else is not slowed down by the first member's flood.
        other = fake.mention("side effects of gabapentin?", author=user(MEMBER_ID + 1, "other"))
        assert "Dizziness" in (await say(fake, other)).content


async def test_a_failing_answer_tells_the_member_and_the_bot_stays_up(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = running.fake
    engine = running.bot.services.engine

    def broken(question: str, context: object = None) -> object:
        raise RuntimeError("boom")

    with monkeypatch.context() as patch:
        patch.setattr(engine, "ask", broken)
        call = await say(fake, fake.mention("side effects of gabapentin?"))
        assert "went wrong" in call.content
    call = await say(fake, fake.mention("what are the side effects of gabapentin?"))
    assert "Dizziness" in call.content


async def test_no_request_body_carries_the_token(running: Running) -> None:
    from .conftest import TOKEN

    fake = running.fake
    await say(fake, fake.mention("what are the side effects of gabapentin?"))
    assert all(TOKEN not in repr(c.body) for c in fake.calls)
    identify = [p for p in fake.received if p.get("op") == 2]
    assert identify and identify[0]["d"]["token"] == TOKEN  # only ever to the gateway itself
    assert TOKEN not in repr(running.settings)


async def test_a_guild_not_in_the_cache_is_still_a_guild(running: Running) -> None:
    fake = running.fake
    sent = fake.mention("what are the side effects of gabapentin?", channel_id=CHANNEL_ID + 77)
    sent["guild_id"] = str(GUILD_ID + 1)
    await say(fake, sent, CHANNEL_ID + 77)
    logged = running.store.questions()[0]
    assert (logged.source, logged.guild_id) == ("mention", GUILD_ID + 1)


async def test_without_a_gateway_override_the_url_comes_from_gateway_bot(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import discord

    async with FakeDiscord() as fake:
        monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
        async with running_bot(fake, engine, bot_settings(tmp_path)):
            assert any(c.path == "/gateway/bot" for c in fake.calls)
            call = await say(fake, fake.mention("what are the side effects of gabapentin?"))
            assert "Dizziness" in call.content
