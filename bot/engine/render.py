"""Rendering: a :class:`~bot.engine.decisions.Decision` in, a :class:`Reply` out, in one place.

Every word comes from the knowledge: ``messages.yaml`` for the bot's own sentences, the topic
declarations for topic words, the drug and combination files for the facts. Nothing here
decides: what to say was settled by :mod:`bot.engine.decide`.

Where is the disclaimer added? Here: :meth:`Renderer.reply` puts it on every reply but the
emergency one, which must stay short and plain.
"""

from __future__ import annotations

import dataclasses
from typing import Unpack

from bot.engine import decisions as d
from bot.engine.answers import answer_body
from bot.engine.open_render import open_body
from bot.engine.replies import MAX_TEXT, Context, Kind, Reply, ReplyFields
from bot.engine.texts import Texts
from bot.engine.triage import Assessment
from bot.engine.wording import shorten
from bot.knowledge.loading import KnowledgeBase

DEFAULT_EMERGENCY_NUMBERS = (
    "911 in the US and Canada, 999 or 112 in the UK, 112 in the EU, 000 in Australia"
)
"""Shown in the emergency reply; a deployment or a guild may set its own."""

MAX_ECHO = 40
"""Characters of a word from the question that a reply quotes back ("I don't know ...")."""
MAX_TITLE = 256
"""Discord's embed title limit."""


class Renderer:
    def __init__(self, knowledge: KnowledgeBase, emergency_numbers: str) -> None:
        self.texts = Texts(knowledge)
        self.kb = knowledge
        self.messages = knowledge.messages
        self.topics = knowledge.topics.topics
        self.emergency_numbers = emergency_numbers

    def render(self, decision: d.Decision, *, emergency_numbers: str | None = None) -> Reply:
        """The reply for ``decision``, carrying it; ``emergency_numbers``: a server's or the
        asker's locale's, for an emergency (None: the deployment's)."""
        kind, body, fields = self._body(decision, emergency_numbers)
        return self.reply(decision, kind, body, **fields)

    def reply(
        self, decision: d.Decision, kind: Kind, body: str, **fields: Unpack[ReplyFields]
    ) -> Reply:
        """Every reply is made here: the disclaimer added, and the body cut (never the
        disclaimer) so that the full text fits in :data:`~bot.engine.replies.MAX_TEXT`."""
        disclaimer = None if kind == "emergency" else self.messages.disclaimer
        room = MAX_TEXT - (len(disclaimer) + 2 if disclaimer else 0)
        title = fields.get("title")
        if title is not None:
            fields["title"] = title = shorten(title, MAX_TITLE)
            room -= len(title) + 5  # "**title**\n"
        body = shorten(body.strip(), max(room, 1))
        return Reply(kind=kind, body=body, disclaimer=disclaimer, decision=decision, **fields)

    def _body(self, x: d.Decision, numbers: str | None = None) -> tuple[Kind, str, ReplyFields]:
        m = self.messages
        if isinstance(x, d.Emergency):
            return "emergency", self.emergency(x, numbers), _f(topic="emergency")
        if isinstance(x, d.Dosing):
            clause = f" {self.texts.drug_names(x.drugs)}" if x.drugs else ""
            body = m.dosing.format(drug_clause=clause)
            first = x.drugs[0] if x.drugs else None
            return "fallback", body, _f(drug=first, topic="dosing", context=Context(x.drugs))
        if isinstance(x, d.Fallback):
            return "fallback", *self._fallback(x)
        if isinstance(x, d.Clarify):
            return "clarify", *self._clarify(x)
        if isinstance(x, d.Uncovered | d.SmallTalk | d.InvalidChoice | d.Both | d.Each):
            return open_body(self.texts, x, self._body)
        return "answer", *answer_body(self.texts, x)

    def emergency(self, x: d.Emergency, numbers: str | None = None) -> str:
        """The emergency reply for the kind of danger (safety.yaml ``replies``): short and
        plain, with ``numbers`` or else the deployment's."""
        replies = self.kb.safety.replies
        text = replies.get(x.reply or x.kind) or next(iter(replies.values()))
        return text.format(numbers=numbers or self.emergency_numbers)

    def with_safety(self, reply: Reply, found: Assessment, numbers: str | None = None) -> Reply:
        """``reply`` carrying what the triage found; for a question about a danger that is not
        happening now ("what are the signs of an overdose?"), after a short paragraph of
        emergency guidance."""
        guidance = self.kb.safety.guidance.get(found.reply or "")
        if found.level != "guidance" or not guidance or reply.kind == "emergency":
            return dataclasses.replace(reply, safety=found)
        lead = f"⚠️ {guidance.format(numbers=numbers or self.emergency_numbers)}"
        room = MAX_TEXT - (len(reply.text) - len(reply.body)) - len(lead) - 2
        body = f"{lead}\n\n{shorten(reply.body, max(room, 1))}"
        return dataclasses.replace(reply, body=body, safety=found)

    def _fallback(self, x: d.Fallback) -> tuple[str, ReplyFields]:
        m = self.messages
        drug = x.drugs[0] if x.drugs else None
        if x.reason == "unknown_drug":
            names = self.texts.listing([shorten(n, MAX_ECHO) for n in x.names])
            body = m.unknown_drug.format(names=names)
            return f"{body}\n\n{self.texts.can_answer()}", _f(topic="unknown_drug")
        if x.reason == "drug_with_unknown":
            body = m.drug_with_unknown.format(
                names=self.texts.listing(x.names), drugs=self.texts.drug_names(x.drugs)
            )
            return body, _f(drug=drug, topic="unknown_drug", context=Context(x.drugs))
        if x.reason == "unknown_pair":
            body = m.unknown_pair.format(drugs=self.texts.drug_names(x.drugs))
            return body, _f(drug=drug, topic="together")
        if x.reason == "unknown_topic":
            body = m.unknown_topic.format(drugs=self.texts.drug_names(x.drugs))
            body = f"{body}\n\n{self.texts.can_answer(x.drugs)}"
            return body, _f(drug=drug, topic="unknown_topic", context=Context(x.drugs))
        if x.reason == "no_drug_named":
            first = next(iter(self.kb.drugs.values()))
            label = self.topics[x.topic].label.lower() if x.topic else ""
            example = f"{first.name} {label}" if label else first.name
            body = m.no_drug_named.format(example=example)
            return f"{body}\n\n{self.texts.can_answer()}", _f(topic=x.topic)
        return f"{m.off_topic}\n\n{self.texts.can_answer()}", _f()

    def _clarify(self, x: d.Clarify) -> tuple[str, ReplyFields]:
        pages = {c.combination for c in x.choices if isinstance(c, d.FaqChoice)}
        suggestions = tuple(
            self.texts.suggestion(c, several_pages=len(pages) > 1) for c in x.choices
        )
        numbered = "\n".join(f"{n}. {s.label}" for n, s in enumerate(suggestions, 1))
        lead = self.messages.unknown_word.format(word=x.unknown_word) if x.unknown_word else ""
        body = f"{lead}\n\n" if lead else ""
        body += f"{self.messages.clarify}\n{numbered}"
        return body, _f(suggestions=suggestions, score=x.score)


def _f(**fields: Unpack[ReplyFields]) -> ReplyFields:
    return fields
