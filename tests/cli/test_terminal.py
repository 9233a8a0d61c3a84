"""At a terminal replies are formatted text, and ``ask`` says when it waits on stdin."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from bot.cli.terminal import show_reply

REPO = Path(__file__).resolve().parents[2]
MEDFAQ = "import sys; from bot.cli.main import main; sys.exit(main())"
REPLY = "**Gabapentin: side effects**\nCommon side effects include:\n• Dizziness\n• Nausea"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_reply_at_a_terminal_is_formatted_not_raw_markdown() -> None:
    screen = Terminal()
    show_reply(REPLY, screen)
    shown = screen.getvalue()
    assert "**" not in shown
    assert "\x1b[1mGabapentin: side effects" in shown  # bold
    lines = [line.rstrip() for line in shown.splitlines()]
    assert "Common side effects include:" in lines and "• Dizziness" in lines


def test_a_reply_piped_elsewhere_stays_plain_text() -> None:
    piped = io.StringIO()
    show_reply(REPLY, piped)
    assert piped.getvalue() == REPLY + "\n"


def read_until(fd: int, text: bytes, seconds: float = 30) -> bytes:
    seen = b""
    deadline = time.monotonic() + seconds
    while text not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen


def test_ask_without_a_question_at_a_terminal_says_it_reads_stdin(tmp_path: Path) -> None:
    main, other = pty.openpty()
    env = {**os.environ, "MEDFAQ_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from bot.cli.main import main; sys.exit(main())",
            "ask",
        ],
        stdin=other,
        stdout=other,
        stderr=other,
        env=env,
    )
    os.close(other)
    try:
        seen = read_until(main, b"reading questions from standard input")
        assert b"reading questions from standard input" in seen, seen
        os.write(main, b"side effects of gabapentin\n")
        seen = read_until(main, b"Dizziness")
        assert b"Dizziness" in seen and b"**" not in seen, seen
        os.write(main, b"\x04")
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
        os.close(main)
