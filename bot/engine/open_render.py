"""Wording the open-world reader's decisions: uncovered topics, small talk, an invalid choice
number, and the replies made of several answers (two parts; each drug in turn). Every text
comes from the lexicon's ``conversation.yaml``; :mod:`bot.engine.render` shapes the reply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.engine import decisions as d
from bot.engine.replies import Context, Kind, ReplyFields
from bot.engine.texts import Texts
from bot.engine.wording import listing

MAX_NAMED = 5
"""Drugs named by a small-talk reply before "and N more"."""

Body = tuple[Kind, str, ReplyFields]


def open_body(texts: Texts, x: d.Decision, part: Callable[[d.Decision], Body]) -> Body:
    """The reply for one of the reader's decisions; ``part`` words a nested decision."""
    conversation = texts.kb.conversation
    if isinstance(x, d.Uncovered):
        name = texts.drug_names(x.drugs) if x.drugs else conversation.texts["no_drug"]
        body = conversation.uncovered[x.topic].reply.format(drug=name)
        first = x.drugs[0] if x.drugs else None
        fields: ReplyFields = {"drug": first, "topic": f"uncovered:{x.topic}"}
        fields["context"] = Context(x.drugs)
        return "fallback", f"{body}\n\n{texts.can_answer(x.drugs)}", fields
    if isinstance(x, d.SmallTalk):
        return "fallback", small_talk(texts, x.kind), {"topic": f"small_talk:{x.kind}"}
    if isinstance(x, d.InvalidChoice):
        numbers = [str(n) for n in range(1, x.count + 1)]
        valid = listing(numbers, conversation.texts.get("list_or", texts.messages.list_and))
        body = conversation.texts["choice_invalid"].format(number=x.number, valid=valid)
        return "clarify", f"{body}\n\n{texts.messages.clarify}", {}
    if isinstance(x, d.Both):
        _, first, both = part(x.first)
        _, second, later = part(x.second)
        title = later.get("title") or ""
        body = f"{first}\n\n**{conversation.texts['then']}** {title}\n{second}"
        if "context" in later:
            kept = later["context"]
            if not kept.drugs and "context" in both:  # a look-up over every drug after one
                kept = replace(kept, drugs=both["context"].drugs)
            both["context"] = kept
        return "answer", body, both
    if isinstance(x, d.Each):
        bodies = [part(p) for p in x.parts]
        body = "\n\n".join(f"**{f.get('title', '')}**\n{b}" for _, b, f in bodies)
        lead: ReplyFields = bodies[0][2]
        drugs = tuple(drug for _, _, f in bodies if (drug := f.get("drug")))
        topic = lead.get("topic")
        each: ReplyFields = {
            "drug": lead.get("drug"),
            "topic": topic,
            "entry": lead.get("entry", ""),
            "score": lead.get("score", 100.0),
            "context": Context(drugs, topic if topic in texts.topics else None),
        }
        return "answer", body, each
    raise TypeError(f"not a reader decision: {x!r}")


def small_talk(texts: Texts, kind: str) -> str:
    """A short friendly reply: what the bot knows about, with example questions."""
    conversation = texts.kb.conversation
    drugs = list(texts.kb.drugs.values())
    names = [drug.name for drug in drugs[:MAX_NAMED]]
    if len(drugs) > MAX_NAMED:
        names.append(texts.messages.more.format(count=len(drugs) - MAX_NAMED))
    examples = [
        f'"{example.format(drug=drugs[n % len(drugs)].name)}"'
        for n, example in enumerate(conversation.examples)
    ]
    return conversation.small_talk[kind].reply.format(
        drugs=texts.listing(names), examples=", ".join(examples)
    )
