"""The sentence of a message that asks: "I was on Lyrica for two years ... now I'm on
gabapentin. What are the side effects of gabapentin?" tells a story first, then asks."""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from bot.engine.drugs import DrugMention
from bot.engine.phrases import PhraseIndex
from bot.knowledge.text import words

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentence_ranges(message: str) -> list[tuple[range, bool]]:
    """Word positions of each sentence, and whether it asks (ends in "?"); empty when the
    words do not line up with the sentences (do not guess)."""
    found, start = [], 0
    for part in SENTENCE_END.split(message.strip()):
        count = len(words(part))
        found.append((range(start, start + count), part.rstrip().endswith("?")))
        start += count
    return found if start == len(words(message)) else []


def asking_part(message: str) -> str | None:
    """The text of the last sentence ending in "?", when the message has other sentences
    ("I take ami at night. Why doctor give both?": "Why doctor give both?")."""
    parts = SENTENCE_END.split(message.strip())
    asking = [p for p in parts if p.rstrip().endswith("?")]
    return asking[-1] if asking and len(parts) > 1 else None


def asked_sentence(message: str) -> range | None:
    """Word positions of the last sentence ending in "?", when the message has several
    sentences; None when it has one, or none asks."""
    sentences = sentence_ranges(message)
    if len(sentences) < 2:
        return None
    return next((where for where, asks in reversed(sentences) if asks), None)


def asked_focus(
    message: str,
    tokens: Sequence[str],
    mentions: Sequence[DrugMention],
    pointing: PhraseIndex[Any],
    topics: PhraseIndex[Any],
) -> range | None:
    """The sentence that asks, when the message tells a story first ("I was on Lyrica, my
    insurance stopped covering it ... What are the side effects of gabapentin?"): it names
    one of our drugs and a topic, and ``pointing`` phrases ("with it") point back at nothing.
    Other drugs and uncovered topics told of before it are not asked about."""
    asked = asked_sentence(message)
    if asked is None:
        return None
    said = tokens[asked.start : asked.stop]
    if not topics.find(said):
        return None
    if not any(m.drug and m.start in asked for m in mentions):
        # "my gp just prescribed gabapentin. how does it work?": "it" is the drug the
        # sentence before names, and only that drug
        sentences = [where for where, _ in sentence_ranges(message)]
        before = next((s for s, after in itertools.pairwise(sentences) if after == asked), None)
        named = [m for m in mentions if before is not None and m.start in before]
        if pointing.find(said) and named and all(m.drug for m in named) and before:
            return range(before.start, asked.stop)
        return None
    return None if pointing.find(said) else asked


def is_yes_no(spelled: Sequence[str], asked: range | None, openers: Mapping[str, bool]) -> bool:
    """Is the question a yes/no one? The first opener of the sentence that asks says so: "my
    dad is on it. what side effects does it have?" is a wh-question, whatever the story's
    "is". ``openers``: True for a yes/no opener ("does"), False for a wh-word."""
    opening = spelled[asked.start : asked.stop] if asked else spelled
    return next((openers[w] for w in opening if w in openers), False)


def second_question(
    spelled: Sequence[str], openers: Mapping[str, bool], conjunctions: Collection[str]
) -> int | None:
    """Where a yes/no question joined on after another starts ("how does it work and is it
    for sleep?": at "is")."""
    return next(
        (
            k
            for k, w in enumerate(spelled)
            if k > 1 and openers.get(w) and spelled[k - 1] in conjunctions
        ),
        None,
    )
