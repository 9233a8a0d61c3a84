"""Issue 15: a running bot (``python -m bot run``) answers ``/healthz`` and ``/metrics``, and
logs JSON lines when asked; its store is a real PostgreSQL, made unreachable mid-test."""

from __future__ import annotations

import json
import re
from pathlib import Path

import aiohttp
import psycopg

from ..support.fake_discord import CHANNEL_ID, FakeDiscord
from .test_run_process import TOKEN, Process, bot_process, clean_env


def json_lines(process: Process) -> list[dict[str, object]]:
    return [json.loads(line) for line in process.text.splitlines() if line.strip()]


async def get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers["Content-Type"], await response.text()


def sample(metrics: str, name: str) -> float:
    """The value of one sample line, e.g. ``medfaq_replies_total{kind="answer"}``."""
    match = re.search(rf"^{re.escape(name)} (\S+)$", metrics, re.M)
    assert match, f"{name} not in the metrics:\n{metrics}"
    return float(match[1])


async def test_healthz_and_metrics_from_a_running_bot(tmp_path: Path, postgres_url: str) -> None:
    async with FakeDiscord() as fake:
        env = clean_env(
            tmp_path,
            DISCORD_TOKEN=TOKEN,
            MEDFAQ_DB=postgres_url,
            MEDFAQ_METRICS_PORT="0",
            MEDFAQ_LOG_FORMAT="json",
            MEDFAQ_COOLDOWN_BURST="1",
            MEDFAQ_DISCORD_API_BASE=fake.api_base,
            MEDFAQ_DISCORD_GATEWAY=fake.gateway_url,
        )
        async with bot_process(env, tmp_path) as bot:
            await bot.wait_for_line(r"connected as medfaq", timeout=60)
            await bot.wait_for_line(r"health and metrics on http://127\.0\.0\.1:\d+/")
            port = re.search(r"127\.0\.0\.1:(\d+)/healthz", bot.text)
            assert port is not None
            base = f"http://127.0.0.1:{port[1]}"

            status, kind, body = await get(f"{base}/healthz")
            health = json.loads(body)
            assert status == 200 and kind.startswith("application/json"), body
            assert health["ok"] is True
            assert set(health["checks"]) == {"gateway", "knowledge", "store"}
            assert "password" not in body and "medfaq_test" in health["checks"]["store"]["detail"]

            questions = ["what are the side effects of gabapentin?", "I took too many pills"]
            questions.append("what is gabapentin used for?")  # over the burst of 1: refused
            for question in questions:
                start = len(fake.calls)
                await fake.dispatch("MESSAGE_CREATE", fake.mention(question))
                await fake.wait_for_call("POST", f"/channels/{CHANNEL_ID}/messages", after=start)

            status, kind, metrics = await get(f"{base}/metrics")
            assert status == 200 and kind.startswith("text/plain")
            assert sample(metrics, 'medfaq_replies_total{kind="answer"}') == 1
            assert sample(metrics, 'medfaq_replies_total{kind="emergency"}') == 1
            assert sample(metrics, "medfaq_emergencies_total") == 1
            assert sample(metrics, "medfaq_cooldown_refusals_total") == 1
            assert sample(metrics, "medfaq_answer_seconds_count") == 2
            assert sample(metrics, 'medfaq_gateway_latency_seconds{shard="0"}') >= 0
            assert re.search(r'^medfaq_knowledge_info\{.*version="[0-9a-f]{12}"', metrics, re.M)

            # The database stops taking connections: the store check fails, with the reason.
            name = postgres_url.rpartition("/")[2]
            admin = postgres_url.rpartition("/")[0] + "/postgres"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'.encode())
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (name,),
                )
            status, _, body = await get(f"{base}/healthz")
            health = json.loads(body)
            assert status == 503, body
            assert health["ok"] is False and health["checks"]["store"]["ok"] is False
            assert health["checks"]["gateway"]["ok"] is True
            status, _, metrics = await get(f"{base}/metrics")
            assert sample(metrics, 'medfaq_store_errors_total{operation="ping"}') >= 1

        assert bot.proc.returncode == 0, bot.text
        lines = json_lines(bot)  # every line a JSON object: nothing else was printed
        assert {"time", "level", "logger", "message"} <= set(lines[0])
        assert any(str(line["message"]).startswith("connected as medfaq") for line in lines)
        assert TOKEN not in bot.text and "Traceback" not in bot.text
