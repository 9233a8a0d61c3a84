"""Slash commands, autocomplete and buttons: the real bot, a fake Discord, INTERACTION_CREATE."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot.engine.engine import Engine

from ..support.fake_discord import (
    ADMIN_PERMISSIONS,
    ANSWER_CHANNEL_ID,
    APP_ID,
    GUILD_ID,
    MEMBER_ID,
    Call,
    FakeDiscord,
)
from .conftest import Running, bot_settings, running_bot

DISCLAIMER = "Not medical advice"
CALLBACK = re.compile(r"/interactions/\d+/[^/]+/callback")
EPHEMERAL = 64


def option(name: str, value: Any, kind: int = 3, focused: bool = False) -> dict[str, Any]:
    found: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        found["focused"] = True
    return found


async def interact(fake: FakeDiscord, payload: dict[str, Any]) -> Call:
    """Dispatch an interaction and return the bot's callback for it."""
    start = len(fake.calls)
    await fake.dispatch("INTERACTION_CREATE", payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    return await fake.wait_for_call("POST", path, after=start)


def flags(call: Call) -> int:
    return int(call.body["data"].get("flags") or 0)


async def test_commands_are_registered_with_the_contract_names(running: Running) -> None:
    registered = {c["name"]: c for c in running.fake.commands["global"]}
    assert {"ask", "drug", "sideeffects", "about", "medfaq"} <= set(registered)
    ask_options = registered["ask"]["options"]
    assert [(o["name"], o["type"], o.get("autocomplete")) for o in ask_options] == [
        ("question", 3, True)
    ]
    assert str(registered["medfaq"]["default_member_permissions"]) == str(1 << 5)


async def test_ask_answers_in_the_channel_with_the_disclaimer(running: Running) -> None:
    fake = running.fake
    question = "what are the side effects of gabapentin?"
    call = await interact(fake, fake.slash("ask", [option("question", question)]))
    assert call.body["type"] == 4
    assert "Dizziness" in call.content and DISCLAIMER in call.content
    assert not flags(call) & EPHEMERAL
    assert call.body["data"]["allowed_mentions"] == {"parse": []}
    assert len(call.custom_ids) == 2
    assert running.store.questions()[0].source == "slash"


async def test_ask_echo_is_escaped(running: Running) -> None:
    fake = running.fake
    question = f"@everyone **gabapentin** <@{MEMBER_ID}> <@&{GUILD_ID}> side effects?"
    call = await interact(fake, fake.slash("ask", [option("question", question)]))
    description = call.body["data"]["embeds"][0]["description"]
    assert "@everyone" not in description
    assert f"<@{MEMBER_ID}>" not in description and f"<@&{GUILD_ID}>" not in description
    assert "\\*\\*gabapentin\\*\\*" in description


async def test_ask_off_topic_has_no_drug_content(running: Running) -> None:
    fake = running.fake
    call = await interact(fake, fake.slash("ask", [option("question", "what time is it")]))
    assert "Dizziness" not in call.content and "Drowsiness" not in call.content


async def test_ask_emergency_is_ephemeral_and_sent_by_dm(running: Running) -> None:
    fake = running.fake
    start = len(fake.calls)
    call = await interact(fake, fake.slash("ask", [option("question", "I took too many pills")]))
    assert flags(call) & EPHEMERAL
    assert "emergency" in call.content.lower()
    assert call.body["data"].get("embeds") in (None, [])
    await fake.wait_for_call("POST", "/users/@me/channels", after=start)
    dm = await fake.wait_for_call(
        "POST", f"/channels/{fake.dm_channel_id(MEMBER_ID)}/messages", after=start
    )
    assert "emergency" in dm.content.lower()
    note = await fake.wait_for_call("POST", re.compile(rf"/webhooks/{APP_ID}/.+"), after=start)
    assert note.body["flags"] & EPHEMERAL


async def test_drug_command_answers_the_topic(running: Running) -> None:
    fake = running.fake
    options = [option("name", "gabapentin"), option("topic", "usage")]
    call = await interact(fake, fake.slash("drug", options))
    assert "Gabapentin" in call.content and DISCLAIMER in call.content
    logged = running.store.questions()[0]
    assert (logged.drug, logged.topic, logged.decision) == ("gabapentin", "usage", "Sections")


async def test_drug_command_with_an_unknown_drug_says_so(running: Running) -> None:
    fake = running.fake
    options = [option("name", "nortriptyline"), option("topic", "side_effects")]
    call = await interact(fake, fake.slash("drug", options))
    assert running.store.questions()[0].kind != "answer"
    assert "Dizziness" not in call.content


async def test_drug_topic_choices_come_from_the_knowledge(running: Running) -> None:
    fake = running.fake
    options = [option("name", "gabapentin"), option("topic", "", focused=True)]
    call = await interact(fake, fake.autocomplete("drug", options))
    values = [c["value"] for c in call.body["data"]["choices"]]
    assert values == ["usage", "side_effects", "how_it_works", "overview"]


async def test_sideeffects_command(running: Running) -> None:
    fake = running.fake
    call = await interact(fake, fake.slash("sideeffects", [option("drug", "amitriptyline")]))
    assert "Dry mouth" in call.content and DISCLAIMER in call.content


async def test_about_command(running: Running) -> None:
    call = await interact(running.fake, running.fake.slash("about"))
    assert "Gabapentin" in call.content and "Amitriptyline" in call.content
    assert DISCLAIMER in call.content


async def test_ask_autocomplete_offers_at_most_25_choices(running: Running) -> None:
    fake = running.fake
    payload = fake.autocomplete("ask", [option("question", "gaba", focused=True)])
    call = await interact(fake, payload)
    assert call.body["type"] == 8
    choices = call.body["data"]["choices"]
    assert 0 < len(choices) <= 25
    assert any("Gabapentin" in c["name"] for c in choices)
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)


async def test_drug_autocomplete(running: Running) -> None:
    fake = running.fake
    options = [option("name", "ami", focused=True), option("topic", "usage")]
    call = await interact(fake, fake.autocomplete("drug", options))
    assert [c["value"] for c in call.body["data"]["choices"]] == ["amitriptyline"]
    typo = [option("drug", "gabapentn", focused=True)]
    call = await interact(fake, fake.autocomplete("sideeffects", typo))
    assert [c["value"] for c in call.body["data"]["choices"]][:1] == ["gabapentin"]


async def test_clarify_buttons_answer_the_chosen_candidate(running: Running) -> None:
    fake = running.fake
    call = await interact(fake, fake.slash("ask", [option("question", "side effects")]))
    assert running.store.questions()[0].kind == "clarify"
    picks = [i for i in call.custom_ids if i.startswith("medfaq:pick:")]
    assert 2 <= len(picks) <= 5
    message = _sent_message(fake, call)
    chosen = next(i for i in picks if "Gabapentin" in i)
    answer = await interact(fake, fake.click(message, chosen))
    assert "Dizziness" in answer.content and DISCLAIMER in answer.content
    choices = running.store.choices()
    assert len(choices) == 1 and "Gabapentin" in choices[0].choice
    assert running.store.questions()[-1].source == "button"


async def test_feedback_click_is_recorded(running: Running) -> None:
    fake = running.fake
    question = "what are the side effects of gabapentin?"
    call = await interact(fake, fake.slash("ask", [option("question", question)]))
    message = _sent_message(fake, call)
    not_helpful = next(i for i in call.custom_ids if i.endswith(":0"))
    thanks = await interact(fake, fake.click(message, not_helpful))
    assert flags(thanks) & EPHEMERAL
    feedback = running.store.feedback()
    assert [(f.question_id, f.helpful) for f in feedback] == [
        (running.store.questions()[0].id, False)
    ]
    # A second click by the same member is thanked but not counted again.
    again = await interact(fake, fake.click(message, not_helpful))
    assert flags(again) & EPHEMERAL
    assert len(running.store.feedback()) == 1


async def test_slash_cooldown_is_a_private_notice(
    fake_discord: FakeDiscord, engine: Engine, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path, cooldown_burst=1, cooldown_seconds=60)
    async with running_bot(fake_discord, engine, settings):
        fake = fake_discord
        ask = [option("question", "side effects of gabapentin?")]
        first = await interact(fake, fake.slash("ask", ask))
        assert "Dizziness" in first.content
        second = await interact(fake, fake.slash("ask", ask))
        assert flags(second) & EPHEMERAL and "wait" in second.content.lower()


def _admin(action: str) -> dict[str, Any]:
    return {
        "name": "medfaq",
        "type": 1,
        "options": [{"name": "channel", "type": 2, "options": [{"name": action, "type": 1}]}],
    }


async def test_channel_add_needs_manage_server(running: Running) -> None:
    fake = running.fake
    data = _admin("add")
    data["id"] = fake.command_id("medfaq")
    refused = await interact(fake, fake.interaction(2, data, channel_id=ANSWER_CHANNEL_ID))
    assert flags(refused) & EPHEMERAL and "Manage Server" in refused.content
    assert running.store.answer_channels(GUILD_ID) == set()

    admin = fake.interaction(
        2, data, user=fake.admin_user, permissions=ADMIN_PERMISSIONS, channel_id=ANSWER_CHANNEL_ID
    )
    added = await interact(fake, admin)
    assert f"<#{ANSWER_CHANNEL_ID}>" in added.content
    assert running.store.answer_channels(GUILD_ID) == {ANSWER_CHANNEL_ID}
    start = len(fake.calls)
    question = fake.message("what is gabapentin used for?", channel_id=ANSWER_CHANNEL_ID)
    await fake.dispatch("MESSAGE_CREATE", question)
    answer = await fake.wait_for_call(
        "POST", f"/channels/{ANSWER_CHANNEL_ID}/messages", after=start
    )
    assert "Gabapentin" in answer.content

    listing = _admin("list")
    listing["id"] = data["id"]
    listed = await interact(
        fake, fake.interaction(2, listing, user=fake.admin_user, permissions=ADMIN_PERMISSIONS)
    )
    assert f"<#{ANSWER_CHANNEL_ID}>" in listed.content

    removal = _admin("remove")
    removal["id"] = data["id"]
    removed = fake.interaction(
        2,
        removal,
        user=fake.admin_user,
        permissions=ADMIN_PERMISSIONS,
        channel_id=ANSWER_CHANNEL_ID,
    )
    await interact(fake, removed)
    assert running.store.answer_channels(GUILD_ID) == set()
    start = len(fake.calls)
    await fake.dispatch("MESSAGE_CREATE", fake.message("x", channel_id=ANSWER_CHANNEL_ID))
    await fake.settle(0.3)
    assert [c for c in fake.calls[start:] if c.method == "POST"] == []


async def test_commands_sync_only_when_changed(
    fake_discord: FakeDiscord, engine: Engine, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path)
    async with running_bot(fake_discord, engine, settings):
        pass
    puts = [c for c in fake_discord.calls if c.method == "PUT"]
    assert len(puts) == 1
    fake_discord.expect_new_session()
    async with running_bot(fake_discord, engine, settings):
        pass
    assert len([c for c in fake_discord.calls if c.method == "PUT"]) == 1


async def test_dev_guild_sync(fake_discord: FakeDiscord, engine: Engine, tmp_path: Path) -> None:
    async with running_bot(fake_discord, engine, bot_settings(tmp_path, dev_guild=GUILD_ID)):
        put = next(c for c in fake_discord.calls if c.method == "PUT")
        assert put.path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
        call = await interact(
            fake_discord,
            fake_discord.slash("ask", [option("question", "side effects of gabapentin?")]),
        )
        assert "Dizziness" in call.content


async def test_buttons_keep_working_after_a_restart(
    fake_discord: FakeDiscord, engine: Engine, tmp_path: Path
) -> None:
    fake = fake_discord
    settings = bot_settings(tmp_path)
    async with running_bot(fake, engine, settings):
        call = await interact(fake, fake.slash("ask", [option("question", "side effects")]))
        message = _sent_message(fake, call)
    fake.expect_new_session()
    async with running_bot(fake, engine, settings) as again:
        chosen = next(i for i in call.custom_ids if "Amitriptyline" in i)
        answer = await interact(fake, fake.click(message, chosen))
        assert "Dry mouth" in answer.content
        assert [c.choice for c in again.store.choices()] == ["Amitriptyline: Side effects"]


def _sent_message(fake: FakeDiscord, callback: Call) -> dict[str, Any]:
    """The message the fake stored for an interaction response (with its components)."""
    for message in reversed(fake.messages.values()):
        if message["components"] == (callback.payload.get("components") or []):
            return message
    raise AssertionError("no stored message for that response")


async def test_ask_in_a_dm(running: Running) -> None:
    fake = running.fake
    dm = fake.dm_channel_id(MEMBER_ID)
    ask = [option("question", "what are the side effects of gabapentin?")]
    call = await interact(fake, fake.slash("ask", ask, guild=False, channel_id=dm))
    assert "Dizziness" in call.content
    logged = running.store.questions()[0]
    assert (logged.source, logged.guild_id) == ("slash", None)


async def test_a_4000_character_question_gets_a_reply_within_limits(running: Running) -> None:
    fake = running.fake
    question = ("does gabapentin cause dizziness " * 130)[:4000]
    call = await interact(fake, fake.slash("ask", [option("question", question)]))
    embeds = call.body["data"].get("embeds") or []
    assert len(call.body["data"].get("content") or "") <= 2000
    for embed in embeds:
        assert len(embed.get("description") or "") <= 4096
        size = sum(len(embed.get(k) or "") for k in ("title", "description"))
        assert size + len((embed.get("footer") or {}).get("text") or "") <= 6000
