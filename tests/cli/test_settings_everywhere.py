"""One configuration for every command: environment, ``.env`` and ``MEDFAQ_CONFIG`` are read
once by the command line, and global options work before or after the command."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.knowledge.loading import bundled_knowledge_dir

QUESTION = "what is gabapentin used for"


@pytest.fixture
def renamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled knowledge where one of Gabapentin's uses is reworded, so a reply
    shows which knowledge answered it; a clean environment in a folder with no ``.env``."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("MEDFAQ_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)
    monkeypatch.setenv("MEDFAQ_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), root)
    drug = root / "drugs" / "gabapentin.yaml"
    drug.write_text(drug.read_text().replace("- Restless legs syndrome", "- Restless legs (copy)"))
    return root


def answered_by_copy(capsys: pytest.CaptureFixture[str]) -> bool:
    reply = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert reply["kind"] == "answer"
    return "Restless legs (copy)" in reply["text"]


@pytest.mark.parametrize(
    "argv",
    [
        ["--knowledge", "{root}", "ask", "--json", QUESTION],
        ["ask", "--knowledge", "{root}", "--json", QUESTION],
        ["ask", "--json", QUESTION, "--knowledge", "{root}"],
    ],
)
def test_knowledge_option_before_or_after_the_command(
    renamed: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert main([a.format(root=renamed) for a in argv]) == 0
    assert answered_by_copy(capsys)


def test_config_file_is_read_by_ask(
    renamed: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "medfaq.toml"
    config.write_text(f'knowledge = "{renamed}"\n', encoding="utf-8")
    monkeypatch.setenv("MEDFAQ_CONFIG", str(config))
    assert main(["ask", "--json", QUESTION]) == 0
    assert answered_by_copy(capsys)


def test_dotenv_is_read_by_ask(renamed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path(".env").write_text(f"MEDFAQ_KNOWLEDGE={renamed}\n", encoding="utf-8")
    assert main(["ask", "--json", QUESTION]) == 0
    assert answered_by_copy(capsys)


def test_command_line_beats_config(
    renamed: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "medfaq.toml"
    config.write_text(f'knowledge = "{renamed}"\n', encoding="utf-8")
    monkeypatch.setenv("MEDFAQ_CONFIG", str(config))
    assert main(["ask", "--json", QUESTION, "--knowledge", str(bundled_knowledge_dir())]) == 0
    assert not answered_by_copy(capsys)


def test_check_without_a_folder_checks_the_knowledge_in_use(
    renamed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MEDFAQ_KNOWLEDGE", str(renamed))
    assert main(["check"]) == 0
    assert str(renamed) in capsys.readouterr().out


def test_a_bad_setting_stops_every_command_with_one_line(
    renamed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MEDFAQ_COOLDOWN_BURST", "lots")
    assert main(["ask", QUESTION]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cooldown_burst" in err[0]
