"""/privacy: a member sees what the bot keeps about them and deletes it; retention prunes."""

from __future__ import annotations

import time
from pathlib import Path

from bot.engine.engine import Engine
from bot.runtime.store import QuestionRecord, open_store

from ..support.fake_discord import MEMBER_ID, FakeDiscord
from .conftest import Running, bot_settings, running_bot
from .helpers import EPHEMERAL, flags, interact, option

DAY = 86_400.0


async def test_privacy_shows_a_members_rows_and_deletes_them(running: Running) -> None:
    fake = running.fake
    await interact(fake, fake.slash("ask", [option("question", "what is gabapentin used for?")]))
    await interact(fake, fake.slash("ask", [option("question", "@everyone side effects?")]))
    admin = fake.slash("ask", [option("question", "how does amitriptyline work?")])
    await interact(fake, {**admin, "member": {**admin["member"], "user": fake.admin_user}})
    assert running.store.question_count() == 3

    shown = await interact(fake, fake.slash("privacy"))
    assert flags(shown) & EPHEMERAL
    text = shown.content
    assert running.store.asker_hash(MEMBER_ID) in text and str(MEMBER_ID) not in text
    assert "2 question(s), 2 of them with your words" in text
    assert "what is gabapentin used for?" in text and "amitriptyline" not in text
    assert "@everyone" not in text  # the member's own words, escaped
    assert shown.body["data"]["allowed_mentions"] == {"parse": []}
    (delete,) = shown.custom_ids

    confirm = await interact(fake, fake.click(fake.sent_with(delete), delete))
    assert confirm.body["type"] == 7 and "cannot be undone" in confirm.content
    (yes,) = confirm.custom_ids
    assert running.store.question_count() == 3, "nothing is deleted before the confirmation"

    done = await interact(fake, fake.click(fake.sent_with(yes), yes))
    assert done.body["type"] == 7 and "deleted 2 question(s)" in done.content
    assert done.custom_ids == []
    remaining = running.store.questions()
    assert [q.question for q in remaining] == ["how does amitriptyline work?"]

    again = await interact(fake, fake.slash("privacy"))
    assert "nothing logged" in again.content and again.custom_ids == []


async def test_retention_prunes_old_rows_when_the_bot_starts(
    fake_discord: FakeDiscord, engine: Engine, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path, retention_days=30)
    now = time.time()
    with open_store(settings.db) as store:
        for age in (90, 31, 29, 1):
            store.log_question(
                QuestionRecord(
                    now - age * DAY,
                    "slash",
                    1,
                    2,
                    3,
                    f"{age} days ago",
                    "answer",
                    None,
                    None,
                    None,
                    90.0,
                )
            )
    async with running_bot(fake_discord, engine, settings) as running:
        await fake_discord.wait_until(lambda: running.store.question_count() == 2)
        kept = [q.question for q in running.store.questions()]
    assert kept == ["29 days ago", "1 days ago"]
