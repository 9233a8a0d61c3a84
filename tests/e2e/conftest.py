"""Fixtures: a fake Discord on 127.0.0.1 and the real bot (in this process) connected to it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import discord
import pytest
import yarl

from bot.discord_bot.client import MedfaqBot
from bot.discord_bot.runner import build_bot
from bot.engine.engine import Engine
from bot.runtime.settings import Settings
from bot.runtime.store import Store, open_store

from ..support.fake_discord import FakeDiscord

TOKEN = "fake-token-SENTINEL-0123456789"


@pytest.fixture(autouse=True)
def token_never_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every e2e test: the token appears in no log record (INFO and up, with tracebacks)."""
    caplog.set_level(logging.INFO)
    yield
    for phase in ("setup", "call"):
        for record in caplog.get_records(phase):
            assert TOKEN not in caplog.handler.format(record), record.getMessage()


@dataclass
class Running:
    fake: FakeDiscord
    bot: MedfaqBot
    store: Store
    settings: Settings


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as fake:
        monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
        monkeypatch.setattr(
            discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
        )
        yield fake


def bot_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "discord_token": TOKEN,
        "db": tmp_path / "medfaq.sqlite3",
        "cooldown_seconds": 60.0,
        "cooldown_burst": 100,
        "message_content": True,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord, engine: Engine, settings: Settings
) -> AsyncIterator[Running]:
    """Start the real bot against ``fake``; yield once it is connected; close it after."""
    store = open_store(settings.db, store_question_text=settings.store_question_text)
    bot = build_bot(settings, engine, store, guild_ready_timeout=0.05)
    task = asyncio.create_task(bot.start(TOKEN))
    try:
        ready = asyncio.create_task(fake.wait_ready())
        done, _ = await asyncio.wait({ready, task}, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            ready.cancel()
            task.result()  # raises what stopped the bot
            raise AssertionError("the bot stopped before it connected")
        await bot.wait_until_ready()
        yield Running(fake, bot, store, settings)
        # Whatever the test did, no message the bot sent could have pinged anyone.
        assert fake.calls_that_could_ping() == []
    finally:
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(task, 5)
        store.close()


@pytest.fixture
async def running(
    fake_discord: FakeDiscord, engine: Engine, tmp_path: Path
) -> AsyncIterator[Running]:
    async with running_bot(fake_discord, engine, bot_settings(tmp_path)) as state:
        yield state
