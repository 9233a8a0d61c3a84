"""The bot, unmodified, started as ``python -m bot run`` and pointed at a fake Discord.

MEDFAQ_DISCORD_API_BASE and MEDFAQ_DISCORD_GATEWAY (test-only settings) point discord.py at
the fake; everything else is the real start-up path: settings, token, logging, knowledge,
question log, command sync, gateway. All of its output is scanned for the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.knowledge.loading import bundled_knowledge_dir
from bot.runtime.store import open_store

from ..support.fake_discord import BOT_ID, CHANNEL_ID, MEMBER_ID, FakeDiscord
from ..support.stores import raw_rows

REPO = Path(__file__).resolve().parents[2]
TOKEN = "SENTINEL.token-must-never-be-printed.0123456789abcdef"
DISCLAIMER = "Not medical advice"
NO_PING = {"parse": [], "replied_user": False}


@dataclass
class Process:
    proc: asyncio.subprocess.Process
    output: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.output)

    async def wait_for_line(self, pattern: str, timeout: float = 20.0) -> None:
        async def poll() -> None:
            while not re.search(pattern, self.text):
                if self.proc.returncode is not None:
                    raise AssertionError(f"the bot exited early:\n{self.text}")
                await asyncio.sleep(0.05)

        await asyncio.wait_for(poll(), timeout)


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MEDFAQ_") and k not in ("DISCORD_TOKEN",)
    }
    env.update(
        PYTHONPATH=str(REPO),
        MEDFAQ_DB=str(tmp_path / "log.sqlite3"),
        MEDFAQ_CACHE_DIR=str(tmp_path / "cache"),
    )
    env.update(extra)
    return env


@contextlib.asynccontextmanager
async def bot_process(env: dict[str, str], cwd: Path, *options: str) -> AsyncIterator[Process]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        *options,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    running = Process(proc)

    async def pump() -> None:
        assert proc.stdout is not None
        async for line in proc.stdout:
            running.output.append(line.decode("utf-8", "replace"))

    reader = asyncio.create_task(pump())
    try:
        yield running
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        await asyncio.wait_for(reader, 5)


async def ask(fake: FakeDiscord, data: dict[str, object]) -> list[object]:
    start = len(fake.calls)
    await fake.dispatch("MESSAGE_CREATE", data)
    return [await fake.wait_for_call("POST", f"/channels/{CHANNEL_ID}/messages", after=start)]


async def test_python_m_bot_run_against_a_fake_discord(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        env = clean_env(
            tmp_path,
            DISCORD_TOKEN=TOKEN,
            MEDFAQ_DISCORD_API_BASE=fake.api_base,
            MEDFAQ_DISCORD_GATEWAY=fake.gateway_url,
        )
        async with bot_process(env, tmp_path) as bot:
            await fake.wait_ready(timeout=30)
            await bot.wait_for_line(r"connected as medfaq")

            start = len(fake.calls)
            await fake.dispatch(
                "MESSAGE_CREATE", fake.mention("what are the side effects of gabapentin?")
            )
            answer = await fake.wait_for_call(
                "POST", f"/channels/{CHANNEL_ID}/messages", after=start
            )
            assert "Dizziness" in answer.content and DISCLAIMER in answer.content
            assert answer.body["allowed_mentions"] == NO_PING
            assert "message_reference" in answer.body

            slash = fake.slash(
                "ask", [{"name": "question", "type": 3, "value": "what is gabapentin used for?"}]
            )
            start = len(fake.calls)
            await fake.dispatch("INTERACTION_CREATE", slash)
            callback = await fake.wait_for_call(
                "POST", f"/interactions/{slash['id']}/{slash['token']}/callback", after=start
            )
            assert "Gabapentin" in callback.content and DISCLAIMER in callback.content
            assert callback.body["data"]["allowed_mentions"] == {"parse": []}

            start = len(fake.calls)
            await fake.dispatch("MESSAGE_CREATE", fake.mention("I took too many pills"))
            emergency = await fake.wait_for_call(
                "POST", f"/channels/{CHANNEL_ID}/messages", after=start
            )
            assert "emergency" in emergency.content.lower()

            start = len(fake.calls)
            await fake.dispatch(
                "MESSAGE_CREATE", fake.mention("side effects of gabapentin?", author=fake.other_bot)
            )
            await fake.dispatch("MESSAGE_CREATE", fake.mention("@everyone what time is it"))
            off_topic = await fake.wait_for_call(
                "POST", f"/channels/{CHANNEL_ID}/messages", after=start
            )
            await fake.settle(0.4)
            posts = [c for c in fake.calls[start:] if c.method == "POST"]
            assert posts == [off_topic], "the other bot's message must be ignored"
            assert off_topic.body["allowed_mentions"] == NO_PING
            assert "@everyone" not in off_topic.content
            for fact in ("Dizziness", "Drowsiness", "Dry mouth", "nerve pain"):
                assert fact.casefold() not in off_topic.content.casefold()

        assert bot.proc.returncode == 0, bot.text
        assert TOKEN not in bot.text
        assert all(TOKEN not in repr(c.body) for c in fake.calls)
        assert "Traceback" not in bot.text
        invite = re.search(r"invite URL: (\S+)", bot.text)
        assert invite is not None
        assert "scope=bot+applications.commands" in invite.group(1)
        assert f"client_id={BOT_ID}" in invite.group(1)
        user_install = re.search(r"user install URL: (\S+)", bot.text)
        assert user_install is not None
        assert user_install.group(1).endswith("scope=applications.commands&integration_type=1")
        assert "knowledge loaded" in bot.text

    with open_store(tmp_path / "log.sqlite3") as store:
        kinds = [q.kind for q in store.questions()]
    assert kinds == ["answer", "answer", "emergency", "fallback"]


async def test_run_without_a_token_says_what_to_set(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=clean_env(tmp_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 1
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN" in lines[0]
    assert out == b""


async def test_a_refused_token_is_one_line_and_never_printed(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        fake.fail_next("GET", r"/users/@me", 401)
        env = clean_env(
            tmp_path,
            DISCORD_TOKEN=TOKEN,
            MEDFAQ_DISCORD_API_BASE=fake.api_base,
            MEDFAQ_DISCORD_GATEWAY=fake.gateway_url,
        )
        async with bot_process(env, tmp_path) as bot:
            await asyncio.wait_for(bot.proc.wait(), 30)
        assert bot.proc.returncode == 1
        assert "refused the token" in bot.text
        assert TOKEN not in bot.text and "Traceback" not in bot.text


async def test_message_content_intent_not_enabled_is_explained(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        fake.privileged = False
        env = clean_env(
            tmp_path,
            DISCORD_TOKEN=TOKEN,
            MEDFAQ_MESSAGE_CONTENT="true",
            MEDFAQ_DISCORD_API_BASE=fake.api_base,
            MEDFAQ_DISCORD_GATEWAY=fake.gateway_url,
        )
        async with bot_process(env, tmp_path) as bot:
            await asyncio.wait_for(bot.proc.wait(), 30)
        assert bot.proc.returncode == 1
        assert "Message Content intent" in bot.text
        assert TOKEN not in bot.text and "Traceback" not in bot.text


async def test_run_watch_reloads_a_changed_file_and_keeps_the_last_good(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), knowledge)
    drug = knowledge / "drugs" / "gabapentin.yaml"
    async with FakeDiscord() as fake:
        env = clean_env(
            tmp_path,
            DISCORD_TOKEN=TOKEN,
            MEDFAQ_KNOWLEDGE=str(knowledge),
            MEDFAQ_WATCH_SECONDS="0.1",
            MEDFAQ_DISCORD_API_BASE=fake.api_base,
            MEDFAQ_DISCORD_GATEWAY=fake.gateway_url,
        )
        async with bot_process(env, tmp_path, "--watch") as bot:
            await fake.wait_ready(timeout=30)
            await bot.wait_for_line(r"connected as medfaq")
            assert "watching" in bot.text
            drug.write_text(drug.read_text().replace("sections:", "sections: ["))
            await bot.wait_for_line(r"still answering from the last good knowledge")
            assert re.search(rf"{re.escape(str(drug))}:\d+: ", bot.text)
            drug.write_text(
                drug.read_text().replace("sections: [", "sections:").replace("- Nausea", "- Qualm")
            )
            await bot.wait_for_line(r"reloaded: 2 drugs")
            (answer,) = await ask(fake, fake.mention("what are the side effects of gabapentin?"))
            assert "Qualm" in answer.content
        assert bot.proc.returncode == 0, bot.text
        assert TOKEN not in bot.text and "Traceback" not in bot.text


async def test_run_shard_options_reach_the_gateway(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        env = clean_env(
            tmp_path,
            DISCORD_TOKEN=TOKEN,
            MEDFAQ_DISCORD_API_BASE=fake.api_base,
            MEDFAQ_DISCORD_GATEWAY=fake.gateway_url,
        )
        async with bot_process(env, tmp_path, "--shard-count", "3", "--shard-ids", "2") as bot:
            await fake.wait_ready(timeout=30)
            await bot.wait_for_line(r"connected as medfaq")
        identify = [p["d"]["shard"] for p in fake.received if p.get("op") == 2]
        assert identify == [[2, 3]]
        assert "running shards 2 of 3" in bot.text
        assert bot.proc.returncode == 0 and TOKEN not in bot.text


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_sigterm_mid_answer_finishes_the_reply_and_exits_0(
    tmp_path: Path, signum: signal.Signals
) -> None:
    async with FakeDiscord() as fake:
        env = clean_env(
            tmp_path,
            DISCORD_TOKEN=TOKEN,
            MEDFAQ_DISCORD_API_BASE=fake.api_base,
            MEDFAQ_DISCORD_GATEWAY=fake.gateway_url,
        )
        async with bot_process(env, tmp_path) as bot:
            await fake.wait_ready(timeout=30)
            await bot.wait_for_line(r"connected as medfaq")
            await ask(fake, fake.mention("what is gabapentin used for?"))
            # An emergency by /ask: the response (held back 1.5 s by the fake), then a DM and a
            # note that it was sent; SIGTERM arrives while the response is in flight.
            fake.delay_next("POST", r"/interactions/\d+/[^/]+/callback", 1.5)
            slash = fake.slash(
                "ask", [{"name": "question", "type": 3, "value": "I took too many pills"}]
            )
            start = len(fake.calls)
            await fake.dispatch("INTERACTION_CREATE", slash)
            callback = await fake.wait_for_call(
                "POST", f"/interactions/{slash['id']}/{slash['token']}/callback", after=start
            )
            signalled = time.monotonic()
            bot.proc.send_signal(signum)
            await asyncio.wait_for(bot.proc.wait(), 10)
            took = time.monotonic() - signalled
            # Sent after SIGTERM, once the held-back response came: the reply was finished.
            dm = await fake.wait_for_call(
                "POST", f"/channels/{fake.dm_channel_id(MEMBER_ID)}/messages", after=start
            )
            note = await fake.wait_for_call("POST", re.compile(r"/webhooks/.+"), after=start)
            assert dm.at > signalled and "emergency" in dm.content.lower()
            assert "direct message" in note.content
            assert callback.at < signalled
            # The gateway was closed, not dropped: the bot did not reconnect.
            assert fake.sessions == 1 and fake.resumes == 0

        assert bot.proc.returncode == 0, bot.text
        assert took < 6.0, f"took {took:.1f} s to stop"  # 1.5 s of it the held-back reply
        assert "shutting down" in bot.text and "question log closed" in bot.text
        assert "Traceback" not in bot.text and TOKEN not in bot.text
        assert "unfinished" not in bot.text

    with open_store(tmp_path / "log.sqlite3") as store:
        assert [q.kind for q in store.questions()] == ["answer", "emergency"]
    assert raw_rows(tmp_path / "log.sqlite3", "PRAGMA integrity_check") == [("ok",)]
