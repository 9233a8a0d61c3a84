"""Help forums: a new post is answered in its thread when the bot is confident, and left alone
otherwise; "did you mean" buttons are the author's; the author's follow-ups keep the context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.engine.engine import Engine

from ..support.fake_discord import FORUM_ID, MEMBER_ID, Call, FakeDiscord, user
from .conftest import Running, bot_settings, running_bot
from .helpers import EPHEMERAL, as_admin, channel_option, flags, interact, medfaq, posts_since

DISCLAIMER = "Not medical advice"
NO_PING = {"parse": [], "replied_user": False}


async def add_forum(fake: FakeDiscord) -> Call:
    options, resolved = channel_option(FORUM_ID, "help", channel_type=15, option_name="forum")
    return await interact(fake, as_admin(fake, "forum", "add", options=options, resolved=resolved))


async def post(fake: FakeDiscord, title: str, content: str, **kwargs: Any) -> list[Call]:
    """Post in the forum; the bot's messages in the new thread once it has gone quiet."""
    thread, starter = fake.forum_post(title, content, **kwargs)
    start = len(fake.calls)
    await fake.post_in_forum(thread, starter)
    await fake.settle(0.4)
    return posts_since(fake, start, int(thread["id"]))


async def test_forum_add_list_remove(running: Running) -> None:
    fake = running.fake
    added = await add_forum(fake)
    assert flags(added) & EPHEMERAL and f"<#{FORUM_ID}>" in added.content
    assert f"<#{FORUM_ID}>" in (await interact(fake, as_admin(fake, "forum", "list"))).content
    options, resolved = channel_option(FORUM_ID, "help", channel_type=15, option_name="forum")
    refused = await interact(
        fake, medfaq(fake, "forum", "remove", options=options, resolved=resolved)
    )
    assert "Manage Server" in refused.content
    removed = await interact(
        fake, as_admin(fake, "forum", "remove", options=options, resolved=resolved)
    )
    assert "no longer" in removed.content
    assert await post(fake, "gabapentin side effects?", "what are they?") == []


async def test_a_forum_post_is_answered_in_its_thread(running: Running) -> None:
    fake = running.fake
    await add_forum(fake)
    (answer,) = await post(fake, "Gabapentin and weight", "does it make you gain weight?")
    assert "weight" in answer.content.lower() and DISCLAIMER in answer.content
    assert answer.body["allowed_mentions"] == NO_PING
    (logged,) = running.store.questions()
    assert (logged.source, logged.kind, logged.drug) == ("forum", "answer", "gabapentin")
    assert logged.question is not None and logged.question.startswith("Gabapentin and weight")


async def test_an_off_topic_forum_post_is_left_alone(running: Running) -> None:
    fake = running.fake
    await add_forum(fake)
    assert await post(fake, "Best pizza near the clinic?", "asking for a friend") == []
    assert [q.kind for q in running.store.questions()] == ["fallback"]


async def test_an_emergency_forum_post_gets_help(running: Running) -> None:
    fake = running.fake
    await add_forum(fake)
    (reply,) = await post(fake, "please help", "I took too many pills an hour ago")
    assert "emergency" in reply.content.lower() and reply.body["allowed_mentions"] == NO_PING


async def test_did_you_mean_buttons_are_the_authors(running: Running) -> None:
    fake = running.fake
    await add_forum(fake)
    (clarify,) = await post(fake, "side effects", "")
    picks = [i for i in clarify.custom_ids if i.startswith("medfaq:pick:")]
    assert picks and all(f":u{MEMBER_ID}:" in i for i in picks)
    chosen = next(i for i in picks if "Gabapentin" in i)
    message = fake.sent_with(chosen)
    stranger = user(700_000_000_000_000_079, "stranger")
    refused = await interact(fake, fake.click(message, chosen, user=stranger))
    assert flags(refused) & EPHEMERAL and "Only the person who started this post" in refused.content
    answered = await interact(fake, fake.click(message, chosen))
    assert "Dizziness" in answered.content and DISCLAIMER in answered.content


async def test_the_authors_follow_ups_keep_the_context(running: Running) -> None:
    fake = running.fake
    await add_forum(fake)
    thread, starter = fake.forum_post("gabapentin", "what is it used for?")
    await fake.post_in_forum(thread, starter)
    thread_id = int(thread["id"])
    await fake.wait_for_call("POST", f"/channels/{thread_id}/messages")
    start = len(fake.calls)
    await fake.dispatch(
        "MESSAGE_CREATE", fake.message("and how does it work?", channel_id=thread_id)
    )
    follow_up = await fake.wait_for_call("POST", f"/channels/{thread_id}/messages", after=start)
    assert "Gabapentin" in follow_up.content and DISCLAIMER in follow_up.content
    # Someone else chatting in the thread is not a question for the bot.
    start = len(fake.calls)
    other = user(700_000_000_000_000_080, "helper")
    said = fake.message("I take it too, it helped me", author=other, channel_id=thread_id)
    await fake.dispatch("MESSAGE_CREATE", said)
    await fake.settle(0.4)
    assert posts_since(fake, start) == []


async def test_without_message_content_the_title_is_read(
    fake_discord: FakeDiscord, engine: Engine, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path, message_content=False)
    async with running_bot(fake_discord, engine, settings):
        added = await add_forum(fake_discord)
        assert "only each post's title" in added.content
        # Discord sends the first message without its text when the intent is off.
        (answer,) = await post(fake_discord, "side effects of amitriptyline?", "")
        assert "Dry mouth" in answer.content and DISCLAIMER in answer.content
