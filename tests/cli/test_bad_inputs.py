"""Every bad input an operator can give is one message naming the file or option, exit 1 (2 for
usage), never a traceback and never a hang. Each row runs the real command in a subprocess."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.knowledge.loading import bundled_knowledge_dir
from bot.runtime.store import QuestionRecord
from bot.runtime.store.sqlite import SQLiteStore as Store

REPO = Path(__file__).resolve().parents[2]
NONE3 = (None, None, None)
MEDFAQ = "import sys; from bot.cli.main import main; sys.exit(main())"


@dataclass
class Run:
    args: list[str]
    stdin: str = ""
    env: dict[str, str] = field(default_factory=dict)


def log_with_a_question(tmp: Path) -> Path:
    path = tmp / "log.sqlite3"
    with Store(path) as store:
        store.log_question(
            QuestionRecord(
                time.time(), "cli", None, None, None, "hi", "fallback", None, None, None, 0
            )
        )
    return path


def binary_config(tmp: Path) -> Run:
    (tmp / "config.toml").write_bytes(bytes(range(256)) * 4)
    db = str(log_with_a_question(tmp))
    return Run(["report"], env={"MEDFAQ_CONFIG": "config.toml", "MEDFAQ_DB": db})


def fifo_config(tmp: Path) -> Run:
    os.mkfifo(tmp / "config.toml")
    db = str(log_with_a_question(tmp))
    return Run(["report"], env={"MEDFAQ_CONFIG": "config.toml", "MEDFAQ_DB": db})


def dotenv_not_utf8(tmp: Path) -> Run:
    (tmp / ".env").write_bytes(b"MEDFAQ_LOG_LEVEL=INFO\nDISCORD_TOKEN=\xff\xfe\n")
    return Run(["report"])


def token_with_newline(tmp: Path) -> Run:
    return Run(["run"], env={"DISCORD_TOKEN": "abc.def\nghi", "MEDFAQ_DB": str(tmp / "q.db")})


def eval_line_not_an_object(tmp: Path) -> Run:
    (tmp / "questions.jsonl").write_text('{"question": "what is x"}\n[1, 2]\n')
    return Run(["eval", "questions.jsonl"])


def since(text: str) -> Callable[[Path], Run]:
    return lambda tmp: Run(["report", "--since", text, "--db", str(log_with_a_question(tmp))])


def page_with_alias_bomb(tmp: Path) -> Run:
    layers = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        previous = chr(ord("a") + n - 1)
        layers.append(
            f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [" + f"*{previous}, " * 8 + f"*{previous}]"
        )
    seed = (REPO.parent / "shared" / "seeds" / "gabapentin-amitriptyline.md").read_text()
    (tmp / "bomb.md").write_text("---\n" + "\n".join(layers) + "\ntitle: *i\n---\n" + seed)
    return Run(["import", "bomb.md", "--out", "out"])


CASES: dict[str, tuple[Callable[[Path], Run], int, str]] = {
    "chat on a superscript two": (lambda t: Run(["chat"], stdin="²\nquit\n"), 0, ""),
    "chat on a 5,000-digit line": (lambda t: Run(["chat"], stdin="9" * 5000 + "\nquit\n"), 0, ""),
    "chat on an ASCII terminal, emoji reply": (
        lambda t: Run(
            ["chat"], stdin="I took 50 pills and want to die\n", env={"PYTHONIOENCODING": "ascii"}
        ),
        0,
        "",
    ),
    "ask on an ASCII terminal, emoji reply": (
        lambda t: Run(
            ["ask", "I took 50 pills and want to die"], env={"PYTHONIOENCODING": "ascii"}
        ),
        0,
        "",
    ),
    "report --since 99999999999999999999d": (
        since("99999999999999999999d"),
        1,
        "--since '99999999999999999999d' reaches back before the year 1",
    ),
    "report --since 5,000 digits": (since("9" * 5000 + "d"), 1, "--since"),
    "report --since 0001-01-01T00:00+05:00": (since("0001-01-01T00:00+05:00"), 0, ""),
    "report --since 9999-12-31": (since("9999-12-31"), 0, ""),
    "MEDFAQ_CONFIG binary": (binary_config, 1, "config.toml:2 (MEDFAQ_CONFIG): not UTF-8 text"),
    "MEDFAQ_CONFIG a FIFO": (fifo_config, 1, "config.toml (MEDFAQ_CONFIG): not a regular file"),
    ".env not UTF-8": (dotenv_not_utf8, 1, ".env:2 (the .env file): not UTF-8 text"),
    "a token with a newline": (token_with_newline, 1, "discord_token: has a space or line break"),
    "eval on a JSONL line not an object": (
        eval_line_not_an_object,
        1,
        "questions.jsonl:2: expected a JSON object",
    ),
    "bench --pages 0": (lambda t: Run(["bench", "--pages", "0"]), 2, "argument --pages: '0'"),
    "bench --questions 0": (
        lambda t: Run(["bench", "--questions", "0"]),
        2,
        "argument --questions: '0'",
    ),
    "bench --sizes abc": (lambda t: Run(["bench", "--sizes", "abc"]), 2, "argument --sizes: 'abc'"),
    "import a page whose front matter is an alias bomb": (page_with_alias_bomb, 0, ""),
}


@pytest.mark.parametrize("name", CASES)
def test_a_bad_input_is_one_message_never_a_traceback(name: str, tmp_path: Path) -> None:
    make, code, message = CASES[name]
    run = make(tmp_path)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MEDFAQ_", "DISCORD_"))},
        "MEDFAQ_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": str(REPO),
        **run.env,
    }
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", MEDFAQ, *run.args],
        input=run.stdin.encode(),
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert result.returncode == code, stderr
    assert message in stderr, stderr
    if code == 1:
        assert stderr.count("\n") == 1, stderr
    assert time.monotonic() - start < 30


def test_a_knowledge_folder_without_the_execute_bit_is_one_message(tmp_path: Path) -> None:
    """As root the execute bit does not stop anyone, so the command runs as nobody."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), knowledge)
    knowledge.chmod(0o644)
    tmp_path.chmod(0o755)
    code, stderr = _as_other_user(["--knowledge", str(knowledge), "check"])
    knowledge.chmod(0o755)
    assert "Traceback" not in stderr, stderr
    assert code == 1
    assert "cannot read: Permission denied" in stderr and "chmod -R u+rX" in stderr, stderr


def _as_other_user(args: list[str]) -> tuple[int, str]:
    """``main(args)`` in a forked child that has dropped to user nobody (when run as root)."""
    from bot.cli.main import main

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            os.dup2(write, 2)
            sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            try:
                code = main(args)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(write)
    with os.fdopen(read, encoding="utf-8", errors="replace") as stream:
        stderr = stream.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), stderr


def test_an_unwritable_question_log_is_reported_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import asyncio

    from bot.discord_bot.answering import Answerer
    from bot.runtime.metrics import Metrics

    def full_disk(record: object) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    answerer = SimpleNamespace(metrics=Metrics())

    async def three_times() -> None:
        for _ in range(3):
            await Answerer._safely(answerer, "log the question", full_disk, None)  # type: ignore[arg-type]

    asyncio.run(three_times())
    lines = [r for r in caplog.records if "disk is full" in r.getMessage()]
    assert len(lines) == 1 and lines[0].exc_info is None
