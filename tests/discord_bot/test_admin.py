"""Units of the admin side: the reload message within Discord's limit, crisis alert text and
its once-per-member throttle, a guild's emergency numbers in the emergency reply."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.discord_bot.admin import reload_message
from bot.discord_bot.alerts import CrisisAlerts, alert_text
from bot.discord_bot.answering import Answered, Origin
from bot.discord_bot.guilds import ALERT_CHANNEL, GuildSettings
from bot.engine.engine import Engine
from bot.knowledge.yamlsource import Problem
from bot.runtime.reloading import ReloadResult
from bot.runtime.store import open_store

GUILD = 11
CHANNEL = 22
MODS = 33


def test_a_good_reload_names_the_new_summary() -> None:
    assert reload_message(ReloadResult(True, "2 drugs, 1 combinations, 9 FAQs")) == (
        "Reloaded the knowledge: 2 drugs, 1 combinations, 9 FAQs."
    )


@pytest.mark.parametrize("count", [1, 5, 40, 1000])
@pytest.mark.parametrize("length", [20, 400, 5000])
def test_a_refused_reload_fits_one_message(count: int, length: int) -> None:
    problems = [Problem(Path(f"/k/drugs/drug_{i}.yaml"), i + 1, "x" * length) for i in range(count)]
    text = reload_message(ReloadResult(False, "2 drugs", problems))
    assert len(text) <= 2000
    assert "still answering from the last good knowledge (2 drugs)" in text
    assert "/k/drugs/drug\\_0.yaml:1: " in text
    shown = text.count("\n• ")
    if shown < count:
        assert text.endswith(f"…and {count - shown} more (`medfaq check` lists them all)")


def test_a_problem_cannot_mention_anyone() -> None:
    problems = [Problem(Path("/k/a.yaml"), 3, "unknown drug '@everyone <@123456789012345678>'")]
    text = reload_message(ReloadResult(False, "2 drugs", problems))
    assert "@everyone" not in text and "<@123456789012345678>" not in text


def test_the_alert_links_or_names_the_channel_and_never_quotes() -> None:
    message = alert_text(Origin("mention", 7, GUILD, CHANNEL), "https://discord.com/channels/1/2/3")
    assert f"<#{CHANNEL}>" in message and "https://discord.com/channels/1/2/3" in message
    assert "<@" not in message
    slash = alert_text(Origin("slash", 7, GUILD, CHANNEL), None)
    assert f"via /ask in <#{CHANNEL}>" in slash


class Sent:
    def __init__(self) -> None:
        self.messages: list[tuple[int, str]] = []

    def get_partial_messageable(self, channel_id: int, **_: Any) -> Any:
        outer = self

        class Channel:
            async def send(self, text: str) -> None:
                outer.messages.append((channel_id, text))

        return Channel()


def test_alerts_go_to_the_guilds_channel_once_per_member_per_window(
    tmp_path: Path, engine: Engine
) -> None:
    now = [0.0]
    client = Sent()
    emergency = Answered(engine.ask("I took too many pills"), 1)
    answer = Answered(engine.ask("side effects of gabapentin"), 2)

    async def scenario() -> list[bool]:
        with open_store(tmp_path / "db.sqlite3") as store:
            guilds = GuildSettings(store)
            alerts = CrisisAlerts(guilds, repeat_seconds=60, clock=lambda: now[0])
            member = Origin("mention", 7, GUILD, CHANNEL)
            results = [await alerts.after_reply(client, emergency, member)]  # type: ignore[arg-type]
            await guilds.set_value(GUILD, ALERT_CHANNEL, str(MODS))
            for when in (1.0, 2.0, 30.0, 62.0):
                now[0] = when
                results.append(await alerts.after_reply(client, emergency, member))  # type: ignore[arg-type]
            other = Origin("slash", 8, GUILD, CHANNEL)
            results.append(await alerts.after_reply(client, emergency, other))  # type: ignore[arg-type]
            results.append(await alerts.after_reply(client, answer, other))  # type: ignore[arg-type]
            dm = Origin("dm", 9, None, CHANNEL)
            results.append(await alerts.after_reply(client, emergency, dm))  # type: ignore[arg-type]
            return results

    results = asyncio.run(scenario())
    assert results == [False, True, False, False, True, True, False, False]
    assert [channel for channel, _ in client.messages] == [MODS, MODS, MODS]


def test_a_guilds_numbers_replace_the_default_ones(engine: Engine) -> None:
    reply = engine.ask("I took too many pills")
    assert reply.kind == "emergency" and "911" in reply.text
    local = engine.ask("I took too many pills", emergency_numbers="112 or 116 123")
    assert "112 or 116 123" in local.text and "911" not in local.text
    assert (local.kind, local.topic, local.disclaimer) == (reply.kind, reply.topic, None)
