"""Replies of the open-world reader: listed-item checks, uncovered topics, small talk, and an
invalid choice number. Every text comes from the lexicon's ``conversation.yaml``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.engine.render import Composer, listing
from bot.engine.replies import Context, Reply, Suggestion
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.schema import Drug, ListSection

MAX_SHOWN = 8
"""Items of the full list shown after a check, before "and N more"."""


class OpenReplies:
    def __init__(self, knowledge: KnowledgeBase, compose: Composer) -> None:
        self.kb = knowledge
        self.compose = compose
        self.texts = knowledge.conversation.texts

    def text(self, key: str, **fields: object) -> str:
        return self.texts.get(key, "").format(**fields)

    def check(
        self, drug: Drug, topic: str, items: Sequence[str], concept: str, term: str | None
    ) -> Reply:
        """Is ``concept`` listed for ``drug`` under ``topic``? Quote the items that name it, or
        say it is not listed; then the full list, kept short."""
        where = self.text(f"where_{topic}")
        section = getattr(drug.sections, topic, None)
        listed = section.items if isinstance(section, ListSection) else []
        if len(items) == 1:
            body = self.text("listed_one", item=items[0], where=where, drug=drug.name)
        elif items:
            quoted = "\n".join(f"• {item}" for item in items)
            body = self.text("listed_many", where=where, drug=drug.name) + "\n" + quoted
        elif topic == "usage":
            body = self.text("not_used_for", concept=concept, drug=drug.name)
        else:
            plural = concept.casefold().endswith("s") and not concept.casefold().endswith("ss")
            key = "not_listed_many" if plural else "not_listed_one"
            body = self.text(key, concept=concept, where=where, drug=drug.name)
        rest = [i for i in listed if i not in items]
        if rest:
            shown = rest[:MAX_SHOWN]
            more = len(rest) - len(shown)
            names = listing([*shown, f"{more} more"] if more else shown)
            body += "\n\n" + self.text("full_list", where=where, drug=drug.name, items=names)
        return self.compose.reply(
            "answer",
            body,
            title=f"{drug.name}: {self.compose.topic_label(topic).lower()}",
            drug=drug.id,
            topic=topic,
            entry=f"{drug.id}/{topic}",
            score=100 if items else 90,
            context=Context((drug.id,), topic, term),
        )

    def uncovered(self, topic_id: str, drugs: Sequence[str]) -> Reply:
        topic = self.kb.conversation.uncovered[topic_id]
        name = self.compose.drug_names(drugs) if drugs else self.text("no_drug") or "it"
        body = topic.reply.format(drug=name)
        return self.compose.reply(
            "fallback",
            f"{body}\n\n{self.compose.can_answer(drugs)}",
            drug=drugs[0] if drugs else None,
            topic=f"uncovered:{topic_id}",
            context=Context(tuple(drugs)),
        )

    def small_talk(self, kind: str, context: Context | None = None) -> Reply:
        talk = self.kb.conversation.small_talk[kind]
        drugs = list(self.kb.drugs.values())
        names = listing(
            [d.name for d in drugs[:5]] + ([f"{len(drugs) - 5} more"] if len(drugs) > 5 else [])
        )
        examples = [
            f'"{e.format(drug=drugs[n % len(drugs)].name)}"'
            for n, e in enumerate(self.kb.conversation.examples)
        ]
        body = talk.reply.format(drugs=names, examples=", ".join(examples))
        return self.compose.reply(
            "fallback", body, topic=f"small_talk:{kind}", context=context or Context()
        )

    def invalid_choice(self, number: str, choices: Sequence[Suggestion], context: Context) -> Reply:
        valid = listing([str(n) for n in range(1, len(choices) + 1)]).replace(" and ", " or ")
        lead = self.text("choice_invalid", number=number, valid=valid)
        reply = self.compose.clarify(list(choices), lead=lead, score=0)
        return replace(reply, context=context)

    def which_faq(self, entries: Sequence[tuple[str, str]], score: float) -> Reply:
        """Clarify between FAQ entries of several pages: (combination id, FAQ id) pairs."""
        choices = []
        for combination_id, faq_id in entries:
            combination = self.kb.combinations[combination_id]
            faq = next(f for f in combination.faqs if f.id == faq_id)
            label = f"{combination.title}: {faq.question}"
            choices.append(Suggestion(label, label))
        return self.compose.clarify(choices, score=score)

    def each(self, replies: Sequence[Reply]) -> Reply:
        """One answer per drug, each under its title, in one reply."""
        body = "\n\n".join(f"**{r.title}**\n{r.body}" for r in replies)
        first = replies[0]
        reply = self.compose.reply("answer", body)
        drugs = tuple(r.drug for r in replies if r.drug)
        return replace(
            reply,
            drug=first.drug,
            topic=first.topic,
            entry=first.entry,
            score=first.score,
            context=replace(first.context, drugs=drugs),
        )

    def both(self, first: Reply, second: Reply) -> Reply:
        """Two answers in one reply: ``first`` (the safety-relevant part), then ``second``."""
        body = f"{first.body}\n\n**{self.text('then')}** {second.title or ''}\n{second.body}"
        reply = self.compose.reply("answer", body, title=first.title)
        return replace(
            reply,
            drug=first.drug,
            topic=first.topic,
            entry=first.entry,
            score=first.score,
            context=second.context,
        )

    def reverse(
        self,
        concept: str,
        topic: str,
        found: dict[str, list[str]],
        drugs: Sequence[str],
        every: bool,
    ) -> Reply:
        """Which of ``drugs`` list ``concept``: ``found`` maps drug ids to the items (or, for
        how it works, the text) that name it."""
        where = self.text(f"where_{topic}") if topic != "how_it_works" else ""
        shown = [d for d in drugs if found.get(d)]
        if not shown:
            among = self.text("the_medicines") if every else self.compose.drug_names(drugs)
            body = self.text("reverse_none", drugs=among, concept=concept, where=where)
        elif topic == "how_it_works":
            lines = [f"**{self.kb.drugs[d].name}**: {found[d][0]}" for d in shown]
            body = self.text("reverse_text", concept=concept) + "\n" + "\n".join(lines)
        else:
            lines = [f"• {self.kb.drugs[d].name}: {item}" for d in shown for item in found[d]]
            head = self.text("reverse_found", concept=concept, where=where)
            body = head + ":\n" + "\n".join(lines[: MAX_SHOWN * 2])
        return self.compose.reply(
            "answer",
            body,
            title=concept,
            drug=shown[0] if len(shown) == 1 else None,
            topic=topic,
            entry=f"reverse/{topic}",
            score=100,
            context=Context(tuple(shown or drugs), topic),
        )
