"""Start-up of the Discord bot without a network: settings errors, token hygiene, intents."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import discord
import pytest

from bot.discord_bot.client import PERMISSIONS, bot_intents, invite_url
from bot.discord_bot.runner import RedactToken, run_bot

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
    assert run_bot(argparse.Namespace()) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "DISCORD_TOKEN" in err[0]


def test_a_bad_setting_is_one_line_and_exit_1(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("DISCORD_TOKEN", SECRET)
    clean_env.setenv("MEDFAQ_COOLDOWN_BURST", "lots")
    assert run_bot(argparse.Namespace()) == 1
    err = capsys.readouterr().err
    assert "cooldown_burst" in err and SECRET not in err


def test_shard_ids_need_a_shard_count(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("DISCORD_TOKEN", SECRET)
    clean_env.setenv("MEDFAQ_SHARD_IDS", "0,1")
    assert run_bot(argparse.Namespace()) == 1
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
