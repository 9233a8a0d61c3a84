"""``medfaq report --html``: one self-contained page with the charts, checked with html.parser."""

from __future__ import annotations

import time
from html.parser import HTMLParser
from pathlib import Path

from bot.cli.main import main
from bot.runtime.store import QuestionRecord, open_store

DAY = 86400.0
NOW = time.time()

QUESTIONS = [
    ("does gabapentin make you feel spacey", "fallback", "gabapentin", 0),
    ("does gabapentin make you feel spacey?", "fallback", "gabapentin", 1),
    ("what is gabapentin used for", "answer", "gabapentin", 2),
    ("side effects?", "clarify", None, 3),
    ("I took too many pills", "emergency", None, 9),
    ("is <script>alert(1)</script> safe", "fallback", None, 4),
]


class Page(HTMLParser):
    """Every tag with its attributes, and the text, of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def make_log(path: Path) -> None:
    with open_store(path) as store:
        for question, kind, drug, days_ago in QUESTIONS:
            entry = "gabapentin/usage" if kind == "answer" else None
            record = QuestionRecord(
                NOW - days_ago * DAY, "mention", 1, 2, days_ago, question, kind, drug,
                None, entry, 50.0,
            )  # fmt: skip
            question_id = store.log_question(record)
            if kind == "answer":
                store.log_feedback(question_id, False)


def test_the_html_report_is_one_page_with_charts_and_nothing_to_fetch(tmp_path: Path) -> None:
    db, page = tmp_path / "log.sqlite3", tmp_path / "report.html"
    make_log(db)
    assert main(["report", "--db", str(db), "--html", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    parser = Page()
    parser.feed(html)
    tags = [tag for tag, _ in parser.tags]

    assert "script" not in tags  # the question's <script> is shown as text, never run
    assert "<script>alert(1)</script>" in "".join(parser.text)
    for tag, attrs in parser.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
        for name, value in attrs.items():
            assert name not in ("src", "href") and "://" not in (value or ""), (tag, name)
    assert "://" not in html and "url(" not in html and "@import" not in html
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in (
        parser.tags
    )

    text = " ".join(parser.text)
    for heading in (
        "Questions per day, by kind",
        "Emergencies per week",
        "Drugs asked about",
        "Top unanswered questions",
        "Answers marked not helpful",
        "Suggestions: where these questions belong",
    ):
        assert heading in text
    assert tags.count("svg") == 3  # per day, per week, per drug
    assert tags.count("rect") >= 5
    assert "spacey" in text and "gabapentin/usage" in text
