"""Rendering replies for Discord: limits, splitting, the disclaimer never cut, escaping."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.discord_bot.render import (
    DESCRIPTION_LIMIT,
    EMBED_LIMIT,
    MESSAGE_LIMIT,
    escape_user_text,
    message_length,
    render,
    split_text,
)
from bot.engine.replies import Reply, Suggestion

DISCLAIMER = (
    "Not medical advice: this information is for educational purposes only. Always consult a "
    "healthcare professional before starting, stopping, or changing any medication."
)


def answer(body: str, **fields: object) -> Reply:
    values: dict[str, object] = {
        "kind": "answer",
        "body": body,
        "disclaimer": DISCLAIMER,
        "title": "Gabapentin: side effects",
    }
    values.update(fields)
    return Reply(**values)  # type: ignore[arg-type]


def test_short_answer_is_one_embed_with_title_body_and_disclaimer_footer() -> None:
    [message] = render(answer("Common side effects include:\n• Dizziness"))
    assert message.content is None and message.embed is not None
    assert message.embed.title == "Gabapentin: side effects"
    assert message.embed.description == "Common side effects include:\n• Dizziness"
    assert message.embed.footer.text == DISCLAIMER


def test_long_answer_is_split_at_paragraphs_and_every_part_has_the_whole_disclaimer() -> None:
    paragraphs = [f"Paragraph {i}. " + "word " * 300 for i in range(12)]
    messages = render(answer("\n\n".join(paragraphs)))
    assert len(messages) > 1
    for message in messages:
        assert message.embed is not None
        assert message.embed.footer.text == DISCLAIMER
        assert len(message.embed.description or "") <= DESCRIPTION_LIMIT
        assert message_length(message) <= EMBED_LIMIT
        assert (message.embed.description or "").startswith("Paragraph")
    joined = " ".join((m.embed.description or "") for m in messages if m.embed)
    assert joined.split() == "\n\n".join(paragraphs).split()
    assert messages[0].embed and messages[0].embed.title
    assert messages[0].embed.title.endswith(f"(1/{len(messages)})")


def test_a_disclaimer_too_long_for_a_footer_is_kept_whole_in_the_body() -> None:
    long_disclaimer = "Not medical advice. " + "Please ask a pharmacist. " * 120
    messages = render(answer("Dizziness", disclaimer=long_disclaimer))
    text = " ".join((m.embed.description or "") for m in messages if m.embed)
    assert " ".join(long_disclaimer.split()) in " ".join(text.split())
    assert all(message_length(m) <= EMBED_LIMIT for m in messages)


def test_emergency_is_plain_text_without_embed() -> None:
    reply = Reply(kind="emergency", body="🚨 This sounds like an emergency. Call 911 now.")
    [message] = render(reply)
    assert message.embed is None
    assert message.content is not None and "emergency" in message.content


def test_long_emergency_is_split_under_the_message_limit() -> None:
    reply = Reply(kind="emergency", body="\n".join(["Call your emergency number now."] * 200))
    messages = render(reply)
    assert len(messages) > 1
    assert all(len(m.content or "") <= MESSAGE_LIMIT for m in messages)


def test_clarify_lists_choices_missing_from_the_body() -> None:
    reply = Reply(
        kind="clarify",
        body="I'm not sure what you mean. Did you mean:",
        disclaimer=DISCLAIMER,
        suggestions=(
            Suggestion("Gabapentin: Side effects", "q1"),
            Suggestion("Amitriptyline", "q2"),
        ),
    )
    [message] = render(reply)
    assert message.embed is not None
    assert "1. Gabapentin: Side effects" in (message.embed.description or "")
    assert "2. Amitriptyline" in (message.embed.description or "")


def test_echoed_question_is_escaped() -> None:
    echo = "@everyone @here <@700000000000000001> <@&800000000000000001> **bold** `code`"
    [message] = render(answer("Dizziness"), echo=echo)
    description = message.embed.description if message.embed else ""
    assert description is not None
    assert "@everyone" not in description and "@here" not in description
    assert "<@700000000000000001>" not in description
    assert "<@&800000000000000001>" not in description
    assert "\\*\\*bold\\*\\*" in description and "\\`code\\`" in description


def test_escape_user_text() -> None:
    assert escape_user_text("@everyone _x_") == "@\u200beveryone \\_x\\_"


def test_engine_text_cannot_ping_either() -> None:
    [message] = render(answer("I don't know @everyone"))
    assert message.embed is not None and "@everyone" not in (message.embed.description or "")


@pytest.mark.parametrize("limit", [1, 5, 80, 2000])
def test_split_text_respects_the_limit(limit: int) -> None:
    text = "Sentence one. Sentence two is longer.\n\nA new paragraph with words. " * 50
    pieces = split_text(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )


def test_split_prefers_paragraphs_then_lines() -> None:
    text = "a" * 50 + "\n\n" + "b" * 50 + "\n" + "c" * 50
    assert split_text(text, 110) == ["a" * 50, "b" * 50 + "\n" + "c" * 50]
    assert split_text(text, 60) == ["a" * 50, "b" * 50, "c" * 50]


@settings(max_examples=200, deadline=None)
@given(
    body=st.text(min_size=0, max_size=9000),
    title=st.none() | st.text(min_size=1, max_size=400),
    echo=st.none() | st.text(max_size=500),
    kind=st.sampled_from(["answer", "clarify", "fallback", "emergency"]),
)
def test_any_reply_fits_discord_limits(
    body: str, title: str | None, echo: str | None, kind: str
) -> None:
    reply = Reply(kind=kind, body=body, disclaimer=DISCLAIMER, title=title)  # type: ignore[arg-type]
    messages = render(reply, echo=echo)
    assert messages
    for message in messages:
        assert message.content or message.embed
        assert len(message.content or "") <= MESSAGE_LIMIT
        if message.embed is not None:
            assert len(message.embed.description or "") <= DESCRIPTION_LIMIT
            assert len(message.embed.title or "") <= 256
            assert message_length(message) <= EMBED_LIMIT
            assert message.embed.footer.text == DISCLAIMER
    if kind == "emergency":
        assert " ".join(DISCLAIMER.split()) in " ".join(
            " ".join(m.content or "" for m in messages).split()
        )


def test_a_lead_goes_before_an_emergency_reply_only() -> None:
    emergency = Reply("emergency", "Call 112 now.", topic="emergency")
    (part,) = render(emergency, lead="Someone else may be in danger.")
    assert part.content == "Someone else may be in danger.\n\nCall 112 now."
    (plain,) = render(answer("Dizziness."), lead="Someone else may be in danger.")
    assert plain.embed is not None and "Someone else" not in str(plain.embed.description)
