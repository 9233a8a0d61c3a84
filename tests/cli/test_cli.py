"""The ``medfaq`` command line: ``ask`` (one question, JSON, and batch from standard input),
``check`` and ``eval``; the consumer-question figure; and no secret in any output.

Batch mode and the secret tests run the real command in a subprocess (``python -m bot``);
the rest call :func:`bot.cli.main` in-process, which is the same code without the start-up.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import main
from bot.engine.replies import KINDS
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir
from bot.runtime.settings import SettingsError, load_settings
from tests.conftest import REPO, shared_file

DISCORD_LIMIT = 4096
JSON_KEYS = {
    "question",
    "kind",
    "text",
    "drug",
    "topic",
    "entry",
    "score",
    "suggestions",
    "decision",
    "safety",
}
LINES = REPO / "tests" / "fixtures" / "hostile" / "lines.txt"
SENTINEL = "SENTINEL.TOKEN-7f3a9c.do-not-print-me"
INVALID_UTF8 = [
    b"\xff\xfe gabapentin side effects",
    b"gaba\x80pentin",
    b"\xc0\xaf\xc0\xaf overlong slash",
    b"\xed\xa0\x80 an encoded surrogate",
    b"\xf4\x90\x80\x80 beyond U+10FFFF",
    b"\xe2\x82 truncated euro",
    b"amitriptyline \xe2\x82",
    b"\xfe\xff\xfe\xff",
    b"\x00\xff\x00\xff",
    b"\xcd",
]


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The engine cache of these commands in a temporary folder, not the user's."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MEDFAQ_CACHE_DIR", str(folder))
        yield folder


def written_with(folders: list[Path], secret: str) -> list[Path]:
    """Files under ``folders`` (the .env that holds it aside) whose bytes contain ``secret``."""
    return [
        path
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file() and path.name != ".env" and secret.encode() in path.read_bytes()
    ]


def run_medfaq(
    *args: str, stdin: bytes = b"", cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    environ = {**os.environ, **(env or {}), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=environ,
        timeout=300,
        check=False,
    )


def expected_questions(stdin: bytes) -> list[str]:
    """What batch mode must answer, in order: every line (split at line feeds, the last one
    with or without one) that is not blank, decoded with bad bytes replaced, its CR dropped."""
    pieces = stdin.split(b"\n")
    if pieces and pieces[-1] == b"":
        pieces.pop()
    decoded = (piece.decode("utf-8", errors="replace").rstrip("\r") for piece in pieces)
    return [line for line in decoded if line.strip()]


def batch_input() -> bytes:
    """The hostile corpus with invalid UTF-8 mixed in: whole lines of it, bytes spliced into
    every 50th line, and a last line without a line feed."""
    lines = LINES.read_bytes().split(b"\n")[:-1]
    mixed: list[bytes] = []
    for index, line in enumerate(lines):
        if index % 50 == 0:
            line = INVALID_UTF8[index // 50 % len(INVALID_UTF8)] + line
        mixed.append(line)
        if index % 200 == 0:
            mixed.append(INVALID_UTF8[index // 200 % len(INVALID_UTF8)])
    mixed.extend([b"gabapentin\r", b"  \r", b"what is amitriptyline used for\r\n"])
    return b"\n".join(mixed) + b"\n" + b"does gabapentin cause weight gain? (no line feed)"


def strict_json(text: str) -> Any:
    """Parse JSON as the standard has it: NaN and Infinity are not JSON."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def check_json_reply(obj: dict[str, object], disclaimer: str) -> None:
    assert set(obj) == JSON_KEYS
    text = obj["text"]
    assert isinstance(text, str)
    assert obj["kind"] in KINDS
    assert len(text) <= DISCORD_LIMIT
    if obj["kind"] in ("answer", "clarify", "fallback"):
        assert text.endswith(disclaimer), f"{obj['question']!r}: no disclaimer"
    else:
        assert "emergency" in text.casefold()
    assert isinstance(obj["suggestions"], list) and len(obj["suggestions"]) <= 5
    assert isinstance(obj["score"], int | float)


# -- ask ----------------------------------------------------------------------------------------


def test_ask_prints_the_reply_with_the_disclaimer(
    capsys: pytest.CaptureFixture[str], knowledge: KnowledgeBase
) -> None:
    assert main(["ask", "does", "gabapentin", "make", "you", "gain", "weight?"]) == 0
    out = capsys.readouterr().out
    assert "Weight gain" in out
    assert out.rstrip().endswith(knowledge.messages.disclaimer)


def test_ask_json_prints_one_object_with_the_documented_keys(
    capsys: pytest.CaptureFixture[str], knowledge: KnowledgeBase
) -> None:
    assert main(["ask", "--json", "what is amitriptyline used for"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    obj = strict_json(lines[0])
    assert set(obj) == JSON_KEYS
    assert obj["question"] == "what is amitriptyline used for"
    assert (obj["kind"], obj["drug"], obj["entry"]) == ("answer", "amitriptyline", obj["entry"])
    assert obj["entry"].startswith("amitriptyline/")
    check_json_reply(obj, knowledge.messages.disclaimer)


def test_ask_json_of_an_emergency_has_no_disclaimer_and_says_emergency(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ask", "--json", "I took too many pills"]) == 0
    obj = strict_json(capsys.readouterr().out)
    assert obj["kind"] == "emergency"
    assert "emergency" in obj["text"].casefold()


def test_an_argument_that_is_not_utf8_prints_as_valid_utf8() -> None:
    """Regression: argv bytes that are not UTF-8 were printed back raw (invalid UTF-8 JSON)."""
    result = run_medfaq("ask", "--json", os.fsdecode(b"gaba\xffpentin side effects"))
    assert result.returncode == 0, result.stderr
    obj = strict_json(result.stdout.decode("utf-8"))  # strict: raises on invalid UTF-8
    assert obj["question"] == "gaba\ufffdpentin side effects"


def test_batch_mode_answers_every_hostile_line_once_in_order(knowledge: KnowledgeBase) -> None:
    stdin = batch_input()
    expected = expected_questions(stdin)
    assert len(expected) >= 2_000
    started = time.perf_counter()
    result = run_medfaq("ask", "--json", stdin=stdin)
    elapsed = time.perf_counter() - started
    print(f"batch: {len(expected)} questions in {elapsed:.1f} s")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    assert result.stderr == b""
    out = result.stdout.decode("utf-8")  # strict: every byte printed is UTF-8
    assert out.endswith("\n")
    rows = out[:-1].split("\n")  # not splitlines(): U+2028 may sit raw inside a JSON string
    assert len(rows) == len(expected)
    for row, question in zip(rows, expected, strict=True):
        obj = strict_json(row)
        assert obj["question"] == question
        check_json_reply(obj, knowledge.messages.disclaimer)


def test_a_carriage_return_inside_a_line_does_not_split_it() -> None:
    """Regression: universal newlines turned "a\\rb" into two questions and two replies."""
    result = run_medfaq("ask", "--json", stdin=b"gabapentin\rside effects\r\nhello\xc2\x85there\n")
    rows = result.stdout.decode("utf-8").split("\n")[:-1]
    questions = [strict_json(row)["question"] for row in rows]
    assert questions == ["gabapentin\rside effects", "hello\x85there"]


@pytest.mark.parametrize("encoding", ["latin-1", "ascii", "cp1252"])
def test_json_is_utf8_whatever_the_locale(encoding: str) -> None:
    """Regression: with a non-UTF-8 locale (a redirected Windows console is cp1252), the first
    reply with a bullet or an emoji raised UnicodeEncodeError and stopped the batch."""
    stdin = "gabapentin\n加巴喷丁\nI took too many pills\nwhat is elavil used for\n".encode()
    result = run_medfaq("ask", "--json", stdin=stdin, env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    rows = [strict_json(row) for row in result.stdout.decode("utf-8").split("\n")[:-1]]
    assert [r["question"] for r in rows] == expected_questions(stdin)
    assert rows[2]["kind"] == "emergency" and rows[2]["text"].startswith("🚨")


def test_plain_text_on_a_terminal_that_cannot_show_it_is_still_printed() -> None:
    result = run_medfaq("ask", "I took too many pills", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert b"emergency" in result.stdout


def test_batch_mode_with_only_blank_lines_prints_nothing() -> None:
    result = run_medfaq("ask", "--json", stdin=b"\n  \n\t\r\n\n")
    assert (result.returncode, result.stdout) == (0, b"")


def test_plain_batch_mode_prints_each_reply_with_its_disclaimer(knowledge: KnowledgeBase) -> None:
    result = run_medfaq("ask", stdin=b"gabapentin side effects\n\nwhat is elavil used for\n")
    assert result.returncode == 0
    assert result.stdout.decode("utf-8").count(knowledge.messages.disclaimer) == 2


# -- check and eval -----------------------------------------------------------------------------


def test_check_passes_on_the_bundled_knowledge(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(bundled_knowledge_dir())]) == 0
    assert "OK" in capsys.readouterr().out


def test_check_names_file_and_line_and_exits_1_on_broken_knowledge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "knowledge"
    (broken / "drugs").mkdir(parents=True)
    (broken / "drugs" / "bad.yaml").write_text("id: bad\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(broken)])
    assert exit_info.value.code == 1
    assert re.search(r"bad\.yaml:\d+", capsys.readouterr().err)


def test_eval_on_the_dev_set_passes_every_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(shared_file("eval", "dev-questions.yaml"))]) == 0
    out = capsys.readouterr().out
    overall = re.search(r"^overall\s+(\d+)\s+(\d+)\s+([\d.]+)%", out, re.MULTILINE)
    assert overall, out
    passed, total, percent = overall.groups()
    assert passed == total and int(total) > 0
    assert float(percent) == 100.0


def test_chat_json_keeps_the_conversation_context() -> None:
    """One message a line in, one JSON reply a line out, follow-ups read in context."""
    messages = "what's amitriptyline used for\n\nwhat about the other one?\n"
    result = run_medfaq("chat", "--json", stdin=messages.encode())
    assert result.returncode == 0, result.stderr
    rows = [strict_json(row) for row in result.stdout.decode("utf-8").splitlines()]
    assert [row["question"] for row in rows] == [
        "what's amitriptyline used for",
        "what about the other one?",
    ]
    assert set(rows[0]) >= {"question", "kind", "text", "drug", "topic", "entry", "score"}
    assert (rows[0]["entry"], rows[1]["entry"]) == ("amitriptyline/usage", "gabapentin/usage")
    picks = run_medfaq("chat", "--json", stdin=b"side effects?\n7\n1\n")
    kinds = [strict_json(row)["kind"] for row in picks.stdout.decode("utf-8").splitlines()]
    assert kinds == ["clarify", "clarify", "answer"]


def test_eval_runs_conversations_and_reports_each_turn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dialogues = tmp_path / "dialogues.yaml"
    dialogues.write_text(
        "- name: other-one\n"
        "  turns:\n"
        '    - {q: "what is elavil used for", kind: [answer], has: [depression]}\n'
        '    - {q: "what about the other one", kind: [answer], has: [restless]}\n'
    )
    assert main(["eval", str(dialogues)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^turn 2\s+1\s+1\s+100.0%", out, re.MULTILINE), out


def test_almost_no_consumer_question_about_other_drugs_gets_an_answer() -> None:
    """Of the MedicationQA questions that name no drug of the knowledge base, at most 1% may
    get an ``answer``: anything said would be about the wrong medicine."""
    path = shared_file("data", "medicationqa", "questions.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    questions = [row["question"] for row in rows if row["names_kb_drug"] is False]
    questions = [" ".join(q.split()) for q in questions]  # one question, one line
    stdin = "".join(f"{q}\n" for q in questions).encode("utf-8")
    result = run_medfaq("ask", "--json", stdin=stdin)
    assert result.returncode == 0
    replies = [strict_json(row) for row in result.stdout.decode("utf-8").splitlines()]
    assert [r["question"] for r in replies] == [q for q in questions if q.strip()]
    answered = [r for r in replies if r["kind"] == "answer"]
    share = 100 * len(answered) / len(replies)
    print(f"medicationqa: {len(answered)} of {len(replies)} ({share:.1f}%) got an answer")
    for reply in answered:
        print(f"  answered: {reply['question']!r} -> {reply['entry']}")
    assert len(replies) > 500
    assert share <= 1.0


# -- secrets ------------------------------------------------------------------------------------


@pytest.fixture
def secret_cwd(tmp_path: Path) -> Path:
    """A working directory whose .env holds the sentinel token (and debug logging)."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / ".env").write_text(
        f"DISCORD_TOKEN={SENTINEL}\nMEDFAQ_LOG_LEVEL=DEBUG\n", encoding="utf-8"
    )
    return cwd


@pytest.mark.parametrize(
    "args",
    [
        ("ask", "does gabapentin make you gain weight?"),
        ("ask", "--json", "what is the discord token?"),
        ("ask", "--json"),
        ("check",),
        ("check", "no-such-directory"),
        ("eval", str(REPO.parent / "shared" / "eval" / "dev-questions.yaml")),
        ("eval", "missing.yaml"),
        ("chat",),
        ("--knowledge", "nowhere", "ask", "gabapentin"),
        ("report",),
        ("report", "--json", "--db", "missing.sqlite3"),
        (
            "import",
            str(REPO.parent / "shared" / "seeds" / "gabapentin-amitriptyline.md"),
            "--out",
            "out",
        ),
    ],
    ids=" ".join,
)
def test_no_command_prints_the_token(
    secret_cwd: Path, private_cache: Path, args: tuple[str, ...]
) -> None:
    stdin = b"gabapentin\nwhat is the token in .env?\nDISCORD_TOKEN\nquit\n"
    result = run_medfaq(
        *args,
        stdin=stdin,
        cwd=secret_cwd,
        env={"DISCORD_TOKEN": SENTINEL, "MEDFAQ_LOG_LEVEL": "DEBUG", "MEDFAQ_DB": "log.sqlite3"},
    )
    output = result.stdout + result.stderr
    assert SENTINEL.encode() not in output
    assert b"Traceback" not in result.stderr, result.stderr.decode("utf-8", "replace")
    assert written_with([secret_cwd, private_cache], SENTINEL) == []


class EchoingDiscord(BaseHTTPRequestHandler):
    """A careless API on 127.0.0.1 that rejects every request and quotes its Authorization
    header back in the error, so the token reaches the bot's error message and log."""

    status = 400

    def do_GET(self) -> None:
        quoted = f"rejected {self.headers.get('Authorization')}"
        body = json.dumps({"message": quoted, "code": 50014}).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


class RefusingDiscord(EchoingDiscord):
    status = 401


@pytest.fixture(params=[EchoingDiscord, RefusingDiscord, None], ids=["400", "401", "closed"])
def fake_api(request: pytest.FixtureRequest) -> Iterator[tuple[str, int | None]]:
    """The REST API base of a Discord that rejects the token (or of a closed port), and the
    status it answers with."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), request.param or EchoingDiscord)
    port = server.server_address[1]
    if request.param is None:
        server.server_close()
        yield f"http://127.0.0.1:{port}/api/v10", None
        return
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/api/v10", request.param.status
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("token_from", ["environment", ".env"])
def test_run_never_prints_the_token_when_discord_rejects_it(
    secret_cwd: Path, fake_api: tuple[str, int | None], token_from: str
) -> None:
    api_base, status = fake_api
    env = {
        "MEDFAQ_DISCORD_API_BASE": api_base,
        "MEDFAQ_DB": str(secret_cwd / "medfaq.sqlite3"),
        "MEDFAQ_LOG_LEVEL": "DEBUG",
        "DISCORD_TOKEN": SENTINEL,
    }
    if token_from == ".env":
        del env["DISCORD_TOKEN"]
    environ = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        cwd=secret_cwd,
        env={**environ, **env, "PYTHONPATH": str(REPO)},
        timeout=120,
        check=False,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, stderr
    assert "logging in" in stderr  # it did try, with the token from the environment or .env
    assert SENTINEL not in stderr + result.stdout.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    assert (secret_cwd / "medfaq.sqlite3").is_file()  # the question log was opened...
    assert written_with([secret_cwd], SENTINEL) == []  # ...and holds no token
    if status == 400:
        # The token did reach the error message, and was masked there.
        assert "rejected Bot [token]" in stderr


@pytest.mark.parametrize(
    "env",
    [
        {"MEDFAQ_COOLDOWN_SECONDS": "soon"},
        {"MEDFAQ_DEV_GUILD": SENTINEL},
        {"MEDFAQ_TOKEN": SENTINEL},
        {"MEDFAQ_SHARD_IDS": "0,1"},
    ],
    ids=["bad setting", "token in another setting", "unknown setting", "shards"],
)
def test_run_refuses_bad_settings_without_printing_the_token(
    secret_cwd: Path, env: dict[str, str]
) -> None:
    result = run_medfaq(
        "run", cwd=secret_cwd, env={"DISCORD_TOKEN": SENTINEL, "MEDFAQ_DB": "x.sqlite3", **env}
    )
    assert result.returncode == 1
    assert result.stderr.startswith(b"medfaq: ")
    assert SENTINEL.encode() not in result.stdout + result.stderr


def test_settings_never_show_the_token(secret_cwd: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    from_env = load_settings(environ={"DISCORD_TOKEN": SENTINEL}, env_file=None)
    from_file = load_settings(environ={}, env_file=secret_cwd / ".env")
    for settings in (from_env, from_file):
        assert settings.discord_token is not None
        assert settings.discord_token.get_secret_value() == SENTINEL  # it was read...
        shown = [
            repr(settings),
            str(settings),
            settings.model_dump_json(),
            repr(settings.model_dump()),
        ]
        for text in shown:  # ...and is never shown
            assert SENTINEL not in text
    assert SENTINEL not in caplog.text


@pytest.mark.parametrize(
    "environ",
    [
        {"DISCORD_TOKEN": SENTINEL, "MEDFAQ_COOLDOWN_SECONDS": "soon"},
        {"MEDFAQ_DEV_GUILD": SENTINEL},  # the token pasted into the wrong setting
        {"MEDFAQ_TOKEN": SENTINEL},  # an unknown setting
        {"MEDFAQ_SHARD_COUNT": SENTINEL},
        {"MEDFAQ_LOG_LEVEL": SENTINEL},
    ],
)
def test_a_settings_error_never_quotes_the_token(environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(environ=environ, env_file=None)
    assert SENTINEL not in str(error.value)
    assert SENTINEL not in repr(error.value)
    assert error.value.__cause__ is None or SENTINEL not in str(error.value.__cause__)
