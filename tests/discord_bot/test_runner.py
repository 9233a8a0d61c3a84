"""Start-up of the Discord bot without a network: settings errors, token hygiene, intents."""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import discord
import pytest

from bot.cli.main import main
from bot.discord_bot import runner
from bot.discord_bot.client import PERMISSIONS, MedfaqBot, bot_intents, invite_url
from bot.discord_bot.runner import RedactToken
from bot.knowledge.loading import bundled_knowledge_dir

SECRET = "SENTINEL.secret-token.0123456789"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in list(os.environ):
        if name.startswith("MEDFAQ_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)
    return monkeypatch


def test_no_token_is_one_line_and_exit_1(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "DISCORD_TOKEN" in err[0]


def test_a_bad_setting_is_one_line_and_exit_1(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("DISCORD_TOKEN", SECRET)
    clean_env.setenv("MEDFAQ_COOLDOWN_BURST", "lots")
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert "cooldown_burst" in err and SECRET not in err


def test_shard_ids_need_a_shard_count(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("DISCORD_TOKEN", SECRET)
    clean_env.setenv("MEDFAQ_SHARD_IDS", "0,1")
    assert main(["run"]) == 1
    assert "MEDFAQ_SHARD_COUNT" in capsys.readouterr().err


def test_the_token_is_masked_in_any_log_line() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sent %s to %s", (SECRET, "y"), None)
    RedactToken(SECRET).filter(record)
    assert SECRET not in record.getMessage() and "[token]" in record.getMessage()
    try:
        raise RuntimeError(f"bad token {SECRET}")
    except RuntimeError:
        failing = logging.LogRecord("x", logging.ERROR, __file__, 1, "oops", None, sys.exc_info())
    RedactToken(SECRET).filter(failing)
    formatted = logging.Formatter().format(failing)
    assert SECRET not in formatted and "[token]" in formatted


def test_intents_are_unprivileged_by_default() -> None:
    intents = bot_intents(message_content=False)
    assert not intents.members and not intents.presences and not intents.message_content
    assert intents.guild_messages and intents.dm_messages and intents.guilds
    assert bot_intents(message_content=True).message_content


def test_invite_url_has_the_scopes_and_only_the_permissions_used() -> None:
    query = parse_qs(urlparse(invite_url(1234)).query)
    assert query["scope"] == ["bot applications.commands"]
    permissions = discord.Permissions(int(query["permissions"][0]))
    assert permissions == PERMISSIONS
    assert not permissions.administrator and not permissions.mention_everyone
    assert not permissions.manage_messages and not permissions.manage_guild


def test_broken_knowledge_at_start_is_file_line_errors_and_exit_1(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), root)
    drug = root / "drugs" / "gabapentin.yaml"
    drug.write_text(drug.read_text().replace("sections:", "sections: ["))
    clean_env.setenv("DISCORD_TOKEN", SECRET)
    clean_env.setenv("MEDFAQ_KNOWLEDGE", str(root))
    clean_env.setenv("MEDFAQ_DB", str(tmp_path / "log.sqlite3"))
    assert main(["run"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.search(rf"^{re.escape(str(drug))}:\d+: ", captured.err, re.MULTILINE)
    assert "Traceback" not in captured.err and SECRET not in captured.err
    assert not (tmp_path / "log.sqlite3").exists(), "nothing started"


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["--shard-count", "2", "--shard-ids", "0,2"], {}, "shard id 2 is outside 0..1"),
        (["--shard-ids", "0,1"], {}, "needs MEDFAQ_SHARD_COUNT"),
        ([], {"MEDFAQ_SHARD_COUNT": "2", "MEDFAQ_SHARD_IDS": "1,1"}, "names a shard twice"),
        ([], {"MEDFAQ_SHARD_COUNT": "2", "MEDFAQ_SHARD_IDS": "-1"}, "shard id -1 is outside"),
        (["--shard-count", "2", "--shard-ids", "0,x"], {}, "shard numbers separated by commas"),
        (["--shard-count", "0"], {}, "shard_count"),
    ],
)
def test_a_bad_shard_combination_is_one_line_and_exit_1(
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    env: dict[str, str],
    expected: str,
) -> None:
    clean_env.setenv("DISCORD_TOKEN", SECRET)
    for name, value in env.items():
        clean_env.setenv(name, value)
    assert main(["run", *argv]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0], err
    assert SECRET not in err[0]


def test_shard_and_watch_options_reach_the_bot(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started: list[MedfaqBot] = []

    async def serve(bot: MedfaqBot, token: str) -> int:
        started.append(bot)
        return 0

    clean_env.setenv("DISCORD_TOKEN", SECRET)
    clean_env.setenv("MEDFAQ_DB", str(tmp_path / "log.sqlite3"))
    clean_env.setattr(runner, "setup_logging", lambda level, secret, kind: None)
    clean_env.setattr(runner, "_serve", serve)
    assert main(["run", "--shard-count", "4", "--shard-ids", "2,3", "--watch"]) == 0
    (bot,) = started
    assert (bot.shard_count, bot.shard_ids) == (4, [2, 3])
    assert bot.services.settings.watch is True

    started.clear()
    clean_env.setenv("MEDFAQ_SHARD_COUNT", "3")
    clean_env.setenv("MEDFAQ_SHARD_IDS", "1")
    assert main(["run"]) == 0
    assert (started[0].shard_count, started[0].shard_ids) == (3, [1])
    assert started[0].services.settings.watch is False
