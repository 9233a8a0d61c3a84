""" "Ask medfaq" on any message: a private reply to the clicked message's text, a button to
post it publicly, and help for someone else when the message reads as an emergency."""

from __future__ import annotations

from ..support.fake_discord import (
    BOT_DM_CONTEXT,
    CHANNEL_ID,
    MEMBER_PERMISSIONS,
    MODS_CHANNEL_ID,
    USE_EXTERNAL_APPS,
    Call,
    FakeDiscord,
    user,
)
from .conftest import Running
from .helpers import EPHEMERAL, as_admin, channel_option, flags, interact, posts_since

DISCLAIMER = "Not medical advice"
NO_PING = {"parse": []}
MENU = "Ask medfaq"


async def test_ask_medfaq_on_a_message_answers_privately_and_posts_on_request(
    running: Running,
) -> None:
    fake = running.fake
    author = user(700_000_000_000_000_077, "alex")
    asked = fake.message("does gabapentin make you gain weight? @everyone", author=author)
    call = await interact(fake, fake.message_command(MENU, asked))
    assert call.body["type"] == 4
    assert flags(call) & EPHEMERAL
    assert "gain" in call.content.lower() and DISCLAIMER in call.content
    assert call.body["data"]["allowed_mentions"] == NO_PING
    (post,) = [i for i in call.custom_ids if i.startswith("medfaq:post:")]
    (logged,) = running.store.questions()
    assert (logged.source, logged.kind) == ("menu", "answer")

    posted = await interact(fake, fake.click(fake.sent_with(post), post))
    assert posted.body["type"] == 4 and not flags(posted) & EPHEMERAL
    assert DISCLAIMER in posted.content and "gain" in posted.content.lower()
    assert "/channels/" in posted.content and asked["id"] in posted.content
    assert posted.body["data"]["allowed_mentions"] == NO_PING
    assert posted.custom_ids == []

    again = await interact(fake, fake.click(fake.sent_with(post), post))
    assert flags(again) & EPHEMERAL and "posted already" in again.content


async def test_ask_medfaq_on_an_emergency_tells_how_to_help_and_alerts(running: Running) -> None:
    fake = running.fake
    options, resolved = channel_option(MODS_CHANNEL_ID, "mods")
    await interact(fake, as_admin(fake, "alerts", "set", options=options, resolved=resolved))
    friend = user(700_000_000_000_000_078, "sam")
    said = fake.message("i took too many of my pills and i feel so dizzy", author=friend)
    start = len(fake.calls)
    call = await interact(fake, fake.message_command(MENU, said))
    assert flags(call) & EPHEMERAL
    text = call.content
    assert "Someone else may be in danger" in text and "How to help" in text
    assert "emergency" in text.lower() and "988" in text
    assert call.custom_ids == [], "an emergency about someone else is not posted by the bot"
    assert call.body["data"]["allowed_mentions"] == NO_PING
    (alert,) = [
        c for c in await _after(fake, start) if c.path == f"/channels/{MODS_CHANNEL_ID}/messages"
    ]
    assert said["id"] in alert.content and "too many" not in alert.content
    assert running.store.questions()[-1].kind == "emergency"


async def test_ask_medfaq_from_a_user_install_in_a_dm(running: Running) -> None:
    fake = running.fake
    said = fake.message("what is amitriptyline used for", guild=False, channel_id=CHANNEL_ID)
    payload = fake.message_command(
        MENU,
        said,
        context=BOT_DM_CONTEXT,
        installs=("user",),
        permissions=MEMBER_PERMISSIONS | USE_EXTERNAL_APPS,
    )
    call = await interact(fake, payload)
    assert flags(call) & EPHEMERAL and DISCLAIMER in call.content


async def test_a_message_without_text_gets_a_short_notice(running: Running) -> None:
    fake = running.fake
    call = await interact(fake, fake.message_command(MENU, fake.message("")))
    assert flags(call) & EPHEMERAL and "no text" in call.content
    assert running.store.questions() == []
    assert posts_since(fake, 0, CHANNEL_ID) == []


async def _after(fake: FakeDiscord, start: int) -> list[Call]:
    await fake.settle(0.3)
    return fake.calls[start:]
