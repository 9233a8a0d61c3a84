"""Issue 15: two shard processes (``python -m bot run --shard-ids``) share one PostgreSQL.

A real PostgreSQL (``tests/support/postgres.py``), the fake Discord, and two unmodified bot
processes each running one of two shards. The fake sends each event to the shard chosen here,
as Discord sends a guild's events to the shard that owns it: an answer channel set through
the first process is honoured by the second (as after a re-shard moves the guild), and
``medfaq report`` counts the questions both processes logged.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from bot.runtime.store import open_store

from ..support.fake_discord import ADMIN_PERMISSIONS, ANSWER_CHANNEL_ID, CHANNEL_ID, FakeDiscord
from .helpers import medfaq
from .test_run_process import REPO, TOKEN, bot_process, clean_env


async def report_json(env: dict[str, str], cwd: Path) -> dict[str, object]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "report",
        "--json",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    data: dict[str, object] = json.loads(out)
    return data


async def test_two_shard_processes_share_one_postgres(tmp_path: Path, postgres_url: str) -> None:
    async with FakeDiscord() as fake:
        env = clean_env(
            tmp_path,
            DISCORD_TOKEN=TOKEN,
            MEDFAQ_DB=postgres_url,
            MEDFAQ_MESSAGE_CONTENT="true",
            MEDFAQ_DISCORD_API_BASE=fake.api_base,
            MEDFAQ_DISCORD_GATEWAY=fake.gateway_url,
        )
        shard = ("--shard-count", "2", "--shard-ids")
        async with (
            bot_process(env, tmp_path, *shard, "0") as first,
            bot_process(env, tmp_path, *shard, "1") as second,
        ):
            for process in (first, second):
                await process.wait_for_line(r"connected as medfaq", timeout=60)
            await fake.wait_until(lambda: fake.shards == {0, 1}, timeout=30)

            # An admin adds the answer channel through the first process (shard 0).
            add = medfaq(
                fake,
                "channel",
                "add",
                user=fake.admin_user,
                permissions=ADMIN_PERMISSIONS,
                channel_id=ANSWER_CHANNEL_ID,
            )
            start = len(fake.calls)
            await fake.dispatch("INTERACTION_CREATE", add, shard=0)
            added = await fake.wait_for_call(
                "POST", f"/interactions/{add['id']}/{add['token']}/callback", after=start
            )
            assert f"<#{ANSWER_CHANNEL_ID}>" in added.content

            # A plain message in that channel reaches only the second process (shard 1),
            # which has never seen the command: it answers from the shared settings.
            start = len(fake.calls)
            question = fake.message("what is gabapentin used for?", channel_id=ANSWER_CHANNEL_ID)
            await fake.dispatch("MESSAGE_CREATE", question, shard=1)
            answer = await fake.wait_for_call(
                "POST", f"/channels/{ANSWER_CHANNEL_ID}/messages", after=start
            )
            assert "Gabapentin" in answer.content

            # And a mention, answered by the first process.
            start = len(fake.calls)
            mention = fake.mention("what are the side effects of gabapentin?")
            await fake.dispatch("MESSAGE_CREATE", mention, shard=0)
            path = f"/channels/{CHANNEL_ID}/messages"
            reply = await fake.wait_for_call("POST", path, after=start)
            assert "Dizziness" in reply.content
            await fake.settle(0.3)
            assert len([c for c in fake.calls[start:] if c.method == "POST"]) == 1

        for process in (first, second):
            assert process.proc.returncode == 0, process.text
            assert TOKEN not in process.text and "Traceback" not in process.text
            assert postgres_url.rpartition("/")[2] in process.text  # "question log: postgresql..."

    with open_store(postgres_url) as store:
        sources = sorted(q.source for q in store.questions())
    assert sources == ["channel", "mention"]  # one from each process
    report = await report_json(env, REPO)
    assert report["questions"] == 2
