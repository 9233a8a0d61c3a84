"""A sentinel token never appears in anything the bot prints, logs (down to DEBUG, with
tracebacks) or shows as a repr, through answers, commands, faults, a resume and a reload."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.discord_bot.client import MedfaqBot
from bot.engine.engine import Engine

from ..support.fake_discord import ADMIN_PERMISSIONS, CHANNEL_ID, MODS_CHANNEL_ID, FakeDiscord
from .conftest import TOKEN, Running, bot_settings, running_bot
from .helpers import channel_option, interact, interact_deferred, medfaq, option

MESSAGES = f"/channels/{CHANNEL_ID}/messages"


async def exercise(running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything that logs: answers, slash commands, admin commands, a reload, an alert,
    a rate limit (retried), an engine failure (a traceback), a dropped gateway (a resume)."""
    fake = running.fake
    admin = {"user": fake.admin_user, "permissions": ADMIN_PERMISSIONS}
    options, resolved = channel_option(MODS_CHANNEL_ID, "mods")
    await interact(fake, medfaq(fake, "alerts", "set", options=options, resolved=resolved, **admin))
    start = len(fake.calls)
    await fake.dispatch("MESSAGE_CREATE", fake.mention("what are the side effects of gabapentin?"))
    await fake.dispatch("MESSAGE_CREATE", fake.mention("I took too many pills"))
    await fake.wait_for_call("POST", f"/channels/{MODS_CHANNEL_ID}/messages", after=start)
    await interact(fake, fake.slash("ask", [option("question", "what is amitriptyline?")]))
    await interact(fake, medfaq(fake, "reload"))  # refused
    await interact_deferred(fake, medfaq(fake, "reload", **admin))
    fake.fail_next("POST", MESSAGES, 429, retry_after=0.05)  # (a 500 costs a 1 s back-off)
    start = len(fake.calls)
    await fake.dispatch("MESSAGE_CREATE", fake.mention("how does gabapentin work?"))
    await fake.wait_until(
        lambda: len([c for c in fake.calls[start:] if c.path == MESSAGES]) >= 2, timeout=10
    )

    def broken(question: str, context: object = None) -> object:
        raise RuntimeError(f"engine failure while holding {type(running.bot.http).__name__}")

    with monkeypatch.context() as patch:
        patch.setattr(running.bot.services.engine, "ask", broken)
        start = len(fake.calls)
        await fake.dispatch("MESSAGE_CREATE", fake.mention("side effects of gabapentin?"))
        await fake.wait_for_call("POST", MESSAGES, after=start)
    resumes = fake.resumes
    await fake.drop_connections()
    await fake.wait_until(lambda: fake.resumes == resumes + 1)
    await fake.settle(0.2)


def reprs(running: Running) -> list[str]:
    bot = running.bot
    services = bot.services
    objects: list[object] = [
        bot,
        bot.http,
        bot.ws,
        *bot.shards.values(),
        services,
        services.answerer,
        services.knowledge,
        services.guilds,
        services.alerts,
        services.settings,
        services.settings.discord_token,
        running.store,
        *bot.cogs.values(),
    ]
    found = [repr(o) for o in objects] + [str(o) for o in objects]
    found.append(services.settings.model_dump_json())
    found.append(str(services.settings.model_dump()))
    return found


async def test_the_token_is_in_no_output_log_or_repr(
    fake_discord: FakeDiscord,
    engine: Engine,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="discord")
    async with running_bot(fake_discord, engine, bot_settings(tmp_path)) as running:
        await exercise(running, monkeypatch)
        shown = reprs(running)
    out, err = capfd.readouterr()
    logged = [caplog.handler.format(r) for r in caplog.records]
    assert len(logged) > 50 and any("Traceback" in line for line in logged)
    assert any("IDENTIFY" in line or "identif" in line.lower() for line in logged)
    for where, text in [("stdout", out), ("stderr", err), *(("log", t) for t in logged)]:
        assert TOKEN not in text, f"token in {where}: {text[:200]}"
    for text in shown:
        assert TOKEN not in text, f"token in a repr: {text[:200]}"
    assert all(TOKEN not in repr(c.body) and TOKEN not in c.path for c in fake_discord.calls)
    assert isinstance(running.bot, MedfaqBot)
