"""Running it for real: reload, --watch, crisis alerts, guild emergency numbers, the question
log in ``medfaq report``, shards, and admin commands refused without Manage Server.

The real bot in this process, a fake Discord on 127.0.0.1, a copy of the bundled knowledge
in ``tmp_path`` where a test edits or breaks files.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import main
from bot.discord_bot.client import MedfaqBot
from bot.engine.engine import Engine
from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge
from bot.runtime.store import open_store

from ..support.fake_discord import (
    ADMIN_PERMISSIONS,
    ANSWER_CHANNEL_ID,
    CHANNEL_ID,
    GUILD_ID,
    MEMBER_ID,
    MODS_CHANNEL_ID,
    FakeDiscord,
)
from .conftest import Running, bot_settings, running_bot
from .helpers import (
    EPHEMERAL,
    channel_option,
    edit,
    flags,
    interact,
    interact_deferred,
    medfaq,
    option,
    posts_since,
)

QUESTION = "what are the side effects of gabapentin?"


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), root)
    return root


@pytest.fixture
async def on_copy(
    fake_discord: FakeDiscord, knowledge_copy: Path, tmp_path: Path
) -> AsyncIterator[Running]:
    """The bot answering from ``knowledge_copy`` (so a test may edit it and reload)."""
    engine = Engine(load_knowledge(knowledge_copy))
    async with running_bot(fake_discord, engine, bot_settings(tmp_path)) as state:
        yield state


async def ask(fake: FakeDiscord, question: str, **options: Any) -> str:
    """Mention the bot with ``question``; the text of its reply."""
    start = len(fake.calls)
    await fake.dispatch("MESSAGE_CREATE", fake.mention(question, **options))
    channel = options.get("channel_id", CHANNEL_ID)
    call = await fake.wait_for_call("POST", f"/channels/{channel}/messages", after=start)
    return call.content


def as_admin(fake: FakeDiscord, *path: str, **options: Any) -> dict[str, Any]:
    return medfaq(fake, *path, user=fake.admin_user, permissions=ADMIN_PERMISSIONS, **options)


# ---- the question log and medfaq report ---------------------------------------------------


async def test_an_unanswered_discord_question_is_in_medfaq_report(
    running: Running, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = running.fake
    await ask(fake, "what time does the pharmacy open on sundays")
    db = running.settings.db
    monkeypatch.chdir(db.parent)  # no stray .env
    for argv in (["report", "--db", str(db), "--json"], ["report", "--json"]):
        monkeypatch.setenv("MEDFAQ_DB", str(db))
        capsys.readouterr()
        assert main(argv) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["by_kind"].get("fallback") == 1
        unanswered = [group["question"] for group in report["unanswered"]]
        assert unanswered == ["what time does the pharmacy open on sundays"]


# ---- hot reload ----------------------------------------------------------------------------


async def test_reload_with_a_broken_file_keeps_the_old_answers_and_says_where(
    on_copy: Running, knowledge_copy: Path
) -> None:
    fake = on_copy.fake
    assert "Nausea" in await ask(fake, QUESTION)
    broken = knowledge_copy / "drugs" / "gabapentin.yaml"
    edit(broken, "- Nausea", "- Nausea (new)")
    edit(broken, "sections:", "sections: [")
    callback, followup = await interact_deferred(fake, as_admin(fake, "reload"))
    assert callback.body["type"] == 5 and callback.body["data"]["flags"] & EPHEMERAL
    assert followup.body["flags"] & EPHEMERAL
    text = followup.content
    assert "still answering from the last good knowledge" in text
    assert f"{broken}:".replace("_", "\\_") in text  # file:line, markdown-escaped
    assert len(text) <= 2000
    answer = await ask(fake, QUESTION)
    assert "Nausea" in answer and "Nausea (new)" not in answer

    edit(broken, "sections: [", "sections:")
    _, followup = await interact_deferred(fake, as_admin(fake, "reload"))
    assert followup.content.startswith("Reloaded the knowledge: 2 drugs")
    assert "Nausea (new)" in await ask(fake, QUESTION)


async def test_reload_lists_many_problems_within_one_message(
    on_copy: Running, knowledge_copy: Path
) -> None:
    fake = on_copy.fake
    for number in range(60):
        (knowledge_copy / "drugs" / f"broken-{number:02d}.yaml").write_text("id: [\n")
    _, followup = await interact_deferred(fake, as_admin(fake, "reload"))
    assert len(followup.content) <= 2000
    assert "more (`medfaq check` lists them all)" in followup.content
    assert "Nausea" in await ask(fake, QUESTION)


async def test_the_application_owner_may_reload_without_manage_server(on_copy: Running) -> None:
    fake = on_copy.fake  # the fake application's owner is admin_user
    payload = medfaq(fake, "reload", user=fake.admin_user)
    _, followup = await interact_deferred(fake, payload)
    assert followup.content.startswith("Reloaded the knowledge")


async def test_watch_picks_up_a_change(
    fake_discord: FakeDiscord,
    knowledge_copy: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    engine = Engine(load_knowledge(knowledge_copy))
    settings = bot_settings(tmp_path, watch=True, watch_seconds=0.05)
    async with running_bot(fake_discord, engine, settings) as state:
        fake = state.fake
        drug = knowledge_copy / "drugs" / "gabapentin.yaml"
        edit(drug, "sections:", "sections: [")
        await fake.wait_until(lambda: "still answering from the last good" in caplog.text)
        assert f"{drug}:" in caplog.text
        assert "Nausea" in await ask(fake, QUESTION)
        edit(drug, "sections: [", "sections:")
        edit(drug, "- Nausea", "- Nausea (watched)")
        await fake.wait_until(lambda: "reloaded: 2 drugs" in caplog.text)
        assert "Nausea (watched)" in await ask(fake, QUESTION)


# ---- crisis alerts and the guild's emergency numbers ---------------------------------------


async def test_a_crisis_alert_links_to_the_message_without_its_words(running: Running) -> None:
    fake = running.fake
    options, resolved = channel_option(MODS_CHANNEL_ID, "mods")
    confirm = await interact(
        fake, as_admin(fake, "alerts", "set", options=options, resolved=resolved)
    )
    assert flags(confirm) & EPHEMERAL and f"<#{MODS_CHANNEL_ID}>" in confirm.content

    words = "I took too many of my pills an hour ago"
    sent = fake.mention(words, channel_id=ANSWER_CHANNEL_ID)
    start = len(fake.calls)
    await fake.dispatch("MESSAGE_CREATE", sent)
    alert = await fake.wait_for_call("POST", f"/channels/{MODS_CHANNEL_ID}/messages", after=start)
    reply = posts_since(fake, start, ANSWER_CHANNEL_ID)
    assert reply and "emergency" in reply[0].content.lower()
    link = f"https://discord.com/channels/{GUILD_ID}/{ANSWER_CHANNEL_ID}/{sent['id']}"
    assert link in alert.content and f"<#{ANSWER_CHANNEL_ID}>" in alert.content
    assert "too many" not in alert.content and "pills" not in alert.content
    assert str(MEMBER_ID) not in alert.content and "<@" not in alert.content
    assert alert.body["allowed_mentions"]["parse"] == []

    # /ask has no message to link to: the alert names the channel.
    start = len(fake.calls)
    other = {**fake.member_user, "id": str(MEMBER_ID + 7)}
    await interact(fake, fake.slash("ask", [option("question", words)], user=other))
    alert = await fake.wait_for_call("POST", f"/channels/{MODS_CHANNEL_ID}/messages", after=start)
    assert f"via /ask in <#{CHANNEL_ID}>" in alert.content and "pills" not in alert.content

    # An ordinary answer raises no alert; after /medfaq alerts off, neither does a crisis.
    await interact(fake, as_admin(fake, "alerts", "off"))
    start = len(fake.calls)
    await ask(fake, QUESTION)
    await ask(fake, words, author={**fake.member_user, "id": str(MEMBER_ID + 8)})
    await fake.settle(0.2)
    assert posts_since(fake, start, MODS_CHANNEL_ID) == []


async def test_repeated_crises_from_one_member_are_alerted_once(running: Running) -> None:
    fake = running.fake
    options, resolved = channel_option(MODS_CHANNEL_ID, "mods")
    await interact(fake, as_admin(fake, "alerts", "set", options=options, resolved=resolved))
    start = len(fake.calls)
    for _ in range(5):
        assert "emergency" in (await ask(fake, "I want to end my life")).lower()
    await fake.settle(0.2)
    assert len(posts_since(fake, start, MODS_CHANNEL_ID)) == 1


async def test_a_guild_sets_its_own_emergency_numbers(running: Running) -> None:
    fake = running.fake
    numbers = "112, or the Samaritans on 116 123"
    confirm = await interact(
        fake, as_admin(fake, "region", "set", options=[option("numbers", numbers)])
    )
    assert flags(confirm) & EPHEMERAL and "116 123" in confirm.content
    reply = await ask(fake, "I took too many pills")
    assert numbers in reply and "emergency" in reply.lower()
    call = await interact(fake, fake.slash("ask", [option("question", "I took too many pills")]))
    assert numbers in call.content

    await interact(fake, as_admin(fake, "region", "clear"))
    reply = await ask(fake, "I took too many pills", author={**fake.member_user, "id": "5"})
    assert numbers not in reply and "911" in reply


# ---- permissions ---------------------------------------------------------------------------

ADMIN_COMMANDS = {
    "reload": (("reload",), []),
    "alerts set": (("alerts", "set"), None),
    "alerts off": (("alerts", "off"), []),
    "region set": (("region", "set"), [option("numbers", "999")]),
    "region clear": (("region", "clear"), []),
    "channel add": (("channel", "add"), []),
    "channel remove": (("channel", "remove"), []),
    "channel list": (("channel", "list"), []),
}


@pytest.mark.parametrize("command", sorted(ADMIN_COMMANDS))
async def test_admin_commands_refuse_members_without_manage_server(
    running: Running, command: str
) -> None:
    fake = running.fake
    path, options = ADMIN_COMMANDS[command]
    resolved = None
    if options is None:
        options, resolved = channel_option(MODS_CHANNEL_ID, "mods")
    refused = await interact(fake, medfaq(fake, *path, options=options, resolved=resolved))
    assert refused.body["type"] == 4 and flags(refused) & EPHEMERAL
    assert "Manage Server" in refused.content
    with open_store(running.settings.db) as store:
        assert store.guild_setting(GUILD_ID, "alert_channel") is None
        assert store.guild_setting(GUILD_ID, "emergency_numbers") is None
        assert store.answer_channels(GUILD_ID) == set()


# ---- shards --------------------------------------------------------------------------------


async def test_shard_options_reach_the_gateway(
    fake_discord: FakeDiscord,
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def no_wait(self: MedfaqBot, shard_id: int | None, *, initial: bool = False) -> None:
        """Discord spaces identifies 5 s apart; the fake does not need it."""

    monkeypatch.setattr(MedfaqBot, "before_identify_hook", no_wait)
    settings = bot_settings(tmp_path, shard_count=2, shard_ids="0,1")
    async with running_bot(fake_discord, engine, settings) as state:
        fake = state.fake
        assert (state.bot.shard_count, state.bot.shard_ids) == (2, [0, 1])
        await fake.wait_until(lambda: len([p for p in fake.received if p.get("op") == 2]) == 2)
        shards = sorted(p["d"]["shard"] for p in fake.received if p.get("op") == 2)
        assert shards == [[0, 2], [1, 2]]
        assert "Nausea" in await ask(fake, QUESTION)


async def test_a_follow_up_after_a_reload_that_removed_its_drug_still_gets_a_reply(
    on_copy: Running, knowledge_copy: Path
) -> None:
    fake = on_copy.fake
    assert "Nausea" in await ask(fake, QUESTION)
    (knowledge_copy / "drugs" / "gabapentin.yaml").unlink()
    for combination in (knowledge_copy / "combinations").glob("*.yaml"):
        combination.unlink()
    _, followup = await interact_deferred(fake, as_admin(fake, "reload"))
    assert followup.content.startswith("Reloaded the knowledge: 1 drugs")
    reply = await ask(fake, "and how does it work?")
    assert "went wrong" not in reply and "Nausea" not in reply
    assert "Amitriptyline" in await ask(fake, "what is amitriptyline used for?")


async def test_a_reload_that_fails_unexpectedly_still_answers_the_admin(
    on_copy: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = on_copy.fake

    def crash() -> None:
        raise PermissionError("cannot read the knowledge folder")

    monkeypatch.setattr(on_copy.bot.services.knowledge, "reload", crash)
    _, followup = await interact_deferred(fake, as_admin(fake, "reload"))
    assert "still answering from the last good knowledge" in followup.content
    assert followup.body["flags"] & EPHEMERAL
    assert "Nausea" in await ask(fake, QUESTION)


async def test_an_alert_that_cannot_be_posted_is_logged_and_the_member_still_answered(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    fake = running.fake
    options, resolved = channel_option(MODS_CHANNEL_ID, "mods")
    await interact(fake, as_admin(fake, "alerts", "set", options=options, resolved=resolved))
    fake.fail_next("POST", f"/channels/{MODS_CHANNEL_ID}/messages", 403)
    assert "emergency" in (await ask(fake, "I took too many pills")).lower()
    await fake.wait_until(lambda: "could not post a crisis alert" in caplog.text)
    assert "Traceback" not in caplog.text
