"""Learning from the log, end to end: members ask the real bot (against the fake Discord)
questions the knowledge cannot answer yet; ``medfaq learn --accept`` on the report's
suggestions edits a copy of the knowledge; a bot started on it then answers them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.engine.engine import Engine
from bot.insights.suggestions import SURE
from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge

from ..support.fake_discord import FakeDiscord, user
from .conftest import bot_settings, running_bot
from .test_messages import say

NEW_WORDS = (
    "does gabapentin make you feel spacey",
    "does gabapentin make u feel spacey?",
    "does amitriptyline make you spacey",
    "does gabapentin make your ankles balloon",
)


async def test_questions_learned_from_the_log_are_answered_by_the_bot(
    fake_discord: FakeDiscord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), root)
    settings = bot_settings(tmp_path)
    async with running_bot(fake_discord, Engine(load_knowledge(root)), settings) as running:
        for n, question in enumerate(NEW_WORDS):
            author = user(5000 + n, f"member{n}")
            await say(running.fake, running.fake.mention(question, author=author))
        # "spacey" is a guess ("not among the side effects listed"); "ankles" names the listed
        # "Swelling in hands, feet, or ankles" by the item's own words: answered already.
        logged = [(q.kind, q.score < SURE) for q in running.store.questions()]
        assert logged == [("answer", True)] * 3 + [("answer", False)]
    options = ["--knowledge", str(root), "--db", str(settings.db)]
    assert main(["report", "--json", *options]) == 0
    suggestions = json.loads(capsys.readouterr().out)["suggestions"]
    accept = [s["id"] for s in suggestions if s["target"]["file"]]
    assert len(accept) == 1  # "spacey", asked about two drugs
    assert main(["learn", "--accept", *accept, *options]) == 0
    assert main(["check", str(root)]) == 0

    async with running_bot(fake_discord, Engine(load_knowledge(root)), settings) as running:
        for n, question in enumerate(NEW_WORDS):
            author = user(6000 + n, f"member{n}")
            call = await say(running.fake, running.fake.mention(question, author=author))
            assert "Swelling" in call.content or "Drowsiness" in call.content, question
        kinds = [q.kind for q in running.store.questions()][len(NEW_WORDS) :]
        assert kinds == ["answer"] * len(NEW_WORDS)
