"""Writing replies from the knowledge: every medical word comes from the knowledge files.

Where is the disclaimer added? Here: :meth:`Composer.reply` puts it on every reply but the
emergency one, which must stay short and plain.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.replies import MAX_TEXT, Context, Kind, Reply, Suggestion
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.schema import Combination, Drug, ListSection
from bot.knowledge.text import words

DEFAULT_EMERGENCY_NUMBERS = (
    "your local emergency number; 911 in the US and Canada, 999 or 112 in the UK, "
    "112 in the EU, 000 in Australia"
)
"""Shown in the emergency reply; a deployment or a guild may set its own."""

MAX_LISTED = 10
"""Names listed in one sentence before "and N more"."""
SECTION_TOPICS = ("usage", "side_effects", "how_it_works")
MAX_ECHO = 40
"""Characters of a word from the question that a reply quotes back ("I don't know ...")."""
MAX_TITLE = 256
"""Discord's embed title limit."""


class Composer:
    def __init__(self, knowledge: KnowledgeBase, emergency_numbers: str) -> None:
        self.kb = knowledge
        self.messages = knowledge.messages
        self.emergency_numbers = emergency_numbers
        self._combined = frozenset(d for c in knowledge.combinations.values() for d in c.drugs)
        self._listed = ListedItems(knowledge)

    # -- the shapes every reply shares ---------------------------------------------------

    def reply(self, kind: Kind, body: str, **fields: object) -> Reply:
        """Every reply is made here: the disclaimer added, and the body cut (never the
        disclaimer) so that the full text fits in :data:`~bot.replies.MAX_TEXT`."""
        disclaimer = None if kind == "emergency" else self.messages.disclaimer
        title = fields.pop("title", None)
        room = MAX_TEXT - (len(disclaimer) + 2 if disclaimer else 0)
        if isinstance(title, str):
            title = shorten(title, MAX_TITLE)
            room -= len(title) + 5  # "**title**\n"
        body = shorten(body.strip(), max(room, 1))
        return Reply(kind=kind, body=body, disclaimer=disclaimer, title=title, **fields)  # type: ignore[arg-type]

    def topic_label(self, topic: str) -> str:
        found = self.kb.topics.topics.get(topic)
        return found.label if found else topic.replace("_", " ").capitalize()

    def drug_names(self, drug_ids: Sequence[str]) -> str:
        return listing([self.kb.drugs[d].name for d in drug_ids])

    # -- safety and fallbacks -------------------------------------------------------------

    def emergency(self) -> Reply:
        return self.reply(
            "emergency",
            self.messages.emergency.format(numbers=self.emergency_numbers),
            topic="emergency",
        )

    def dosing(self, drugs: Sequence[str]) -> Reply:
        clause = f" {self.drug_names(drugs)}" if drugs else ""
        return self.reply(
            "fallback",
            self.messages.dosing.format(drug_clause=clause),
            drug=drugs[0] if drugs else None,
            topic="dosing",
            context=Context(tuple(drugs)),
        )

    def unknown_drug(self, names: Sequence[str]) -> Reply:
        body = self.messages.unknown_drug.format(
            names=listing([shorten(n, MAX_ECHO) for n in names])
        )
        return self.reply("fallback", f"{body}\n\n{self.can_answer()}", topic="unknown_drug")

    def drug_with_unknown(self, names: Sequence[str], drugs: Sequence[str]) -> Reply:
        body = self.messages.drug_with_unknown.format(
            names=listing(names), drugs=self.drug_names(drugs)
        )
        return self.reply(
            "fallback", body, drug=drugs[0], topic="unknown_drug", context=Context(tuple(drugs))
        )

    def unknown_pair(self, drugs: Sequence[str]) -> Reply:
        body = self.messages.unknown_pair.format(drugs=self.drug_names(drugs))
        return self.reply("fallback", body, drug=drugs[0], topic="together")

    def unknown_topic(self, drugs: Sequence[str]) -> Reply:
        body = self.messages.unknown_topic.format(drugs=self.drug_names(drugs))
        return self.reply(
            "fallback",
            f"{body}\n\n{self.can_answer(drugs)}",
            drug=drugs[0],
            topic="unknown_topic",
            context=Context(tuple(drugs)),
        )

    def off_topic(self) -> Reply:
        return self.reply("fallback", f"{self.messages.off_topic}\n\n{self.can_answer()}")

    def no_drug_named(self, topic: str | None) -> Reply:
        first = next(iter(self.kb.drugs.values()))
        example = f"{first.name} {self.topic_label(topic).lower()}" if topic else first.name
        body = self.messages.no_drug_named.format(example=example)
        return self.reply("fallback", f"{body}\n\n{self.can_answer()}", topic=topic)

    def can_answer(self, drugs: Sequence[str] = ()) -> str:
        chosen = list(drugs) or list(self.kb.drugs)
        shown = [self.kb.drugs[d].name for d in chosen[:MAX_LISTED]]
        more = len(chosen) - len(shown)
        names = listing([*shown, f"{more} more"] if more else shown)
        together = not self._combined.isdisjoint(chosen)
        clause = ", and taking them together" if together else ""
        return self.messages.can_answer.format(drugs=names, combined_clause=clause)

    def clarify(self, suggestions: Sequence[Suggestion], lead: str = "", score: float = 0) -> Reply:
        choices = "\n".join(f"{n}. {s.label}" for n, s in enumerate(suggestions[:5], 1))
        body = f"{lead}\n\n" if lead else ""
        return self.reply(
            "clarify",
            f"{body}{self.messages.clarify}\n{choices}",
            suggestions=tuple(suggestions[:5]),
            score=score,
        )

    # -- answers ----------------------------------------------------------------------------

    def sections(self, drug: Drug, topics: Sequence[str], score: float = 100) -> Reply:
        parts = [self.section_text(drug, topic) for topic in topics]
        found = [p for p in parts if p]
        if not found:
            return self.unknown_topic([drug.id])
        label = ", ".join(self.topic_label(t).lower() for t in topics)
        return self.reply(
            "answer",
            "\n\n".join(found),
            title=f"{drug.name}: {label}",
            drug=drug.id,
            topic=topics[0],
            entry=f"{drug.id}/{topics[0]}",
            score=score,
            context=Context((drug.id,), topics[0]),
        )

    def section_text(self, drug: Drug, topic: str, heading: bool = False) -> str | None:
        section = getattr(drug.sections, topic, None)
        if section is None:
            return None
        text = bullets(section) if isinstance(section, ListSection) else section.text
        return f"**{self.topic_label(topic)}**\n{text}" if heading else text

    def overview(self, drug: Drug, score: float = 100) -> Reply:
        names = f"Generic name: {drug.generic_name}"
        if drug.brands:
            names += f". Brand names: {', '.join(drug.brands)}"
        parts = [names]
        parts += [t for t in (self.section_text(drug, s, True) for s in SECTION_TOPICS) if t]
        return self.reply(
            "answer",
            "\n\n".join(parts),
            title=drug.name,
            drug=drug.id,
            topic="overview",
            entry=f"{drug.id}/overview",
            score=score,
            context=Context((drug.id,), None),
        )

    def check(self, drug: Drug, term_id: str, topic: str, score: float = 100) -> Reply:
        """Is this side effect (or use) listed for the drug? Quote the item, or say it is not."""
        term = next(t for t in self.kb.terms.terms if t.id == term_id)
        section = getattr(drug.sections, topic, None)
        items = matching_items(section, term.listed) if isinstance(section, ListSection) else []
        if items:
            where = "common side effects" if topic == "side_effects" else "uses"
            first = f"Yes: {term.label.lower()} is among the {where} listed for {drug.name}:"
            quoted = "\n".join(f"• {item}" for item in items)
            body = f"{first}\n{quoted}"
        else:
            template = (
                self.messages.not_listed if topic == "side_effects" else self.messages.not_used_for
            )
            body = template.format(concept=term.label, drug=drug.name)
        full = self.section_text(drug, topic)
        if full:
            body = f"{body}\n\n{full}"
        return self.reply(
            "answer",
            body,
            title=f"{drug.name}: {self.topic_label(topic).lower()}",
            drug=drug.id,
            topic=topic,
            entry=f"{drug.id}/{topic}",
            score=score,
            context=Context((drug.id,), topic, term_id),
        )

    def reverse(self, term_id: str, topic: str, drug_ids: Sequence[str]) -> Reply:
        """Which of our drugs list this term under ``topic``."""
        term = next(t for t in self.kb.terms.terms if t.id == term_id)
        found = self.listed_for(term_id, topic, drug_ids)
        where = "a common side effect" if topic == "side_effects" else "a use"
        if not found:
            among = (
                "the medicines in my knowledge base"
                if self._listed.covers(drug_ids)
                else self.drug_names(drug_ids)
            )
            body = f"None of {among} lists {term.label.lower()} as {where}."
        else:
            shown = [f"• {self.kb.drugs[d].name}: {item}" for d, item in found[: MAX_LISTED * 2]]
            more = len(found) - len(shown)
            body = f"{term.label} is listed as {where} of:\n" + "\n".join(shown)
            if more:
                body += f"\n…and {more} more."
        return self.reply(
            "answer",
            body,
            title=f"{term.label}: which medicines",
            topic=topic,
            entry=f"term/{term_id}",
            score=100,
        )

    def listed_for(
        self, term_id: str, topic: str, drug_ids: Sequence[str]
    ) -> list[tuple[str, str]]:
        """(drug id, item) for the items of ``drug_ids`` under ``topic`` that name the term."""
        term = next(t for t in self.kb.terms.terms if t.id == term_id)
        if self._listed.covers(drug_ids):
            return self._listed.find(topic, term.listed)
        found = []
        for drug_id in drug_ids:
            section = getattr(self.kb.drugs[drug_id].sections, topic, None)
            if isinstance(section, ListSection):
                found += [(drug_id, item) for item in matching_items(section, term.listed)]
        return found

    def faq(self, combination: Combination, faq_id: str, score: float) -> Reply:
        faq = next(f for f in combination.faqs if f.id == faq_id)
        return self.reply(
            "answer",
            f"**{faq.question}**\n{faq.answer}",
            title=combination.title,
            drug=combination.drugs[0],
            topic="faq",
            entry=f"{combination.id}#{faq.id}",
            score=score,
            context=Context(tuple(combination.drugs), "faq"),
        )

    def combination(self, combination: Combination, score: float = 100) -> Reply:
        parts = [p for p in (combination.about, combination.combined_use) if p]
        if combination.faqs:
            questions = "\n".join(f"• {f.question}" for f in combination.faqs)
            parts.append(f"**Common questions**\n{questions}")
        return self.reply(
            "answer",
            "\n\n".join(parts) or combination.title,
            title=combination.title,
            drug=combination.drugs[0],
            topic="together",
            entry=combination.id,
            score=score,
            context=Context(tuple(combination.drugs), "together"),
        )


class ListedItems:
    """Which drugs list which items, by topic: "which medicines cause X?" without reading
    every drug. Each distinct item is matched once per term, and the answer is kept."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self._order = list(knowledge.drugs)
        self._where: dict[str, dict[str, list[tuple[int, int]]]] = {}
        for rank, drug in enumerate(knowledge.drugs.values()):
            for topic in SECTION_TOPICS:
                section = getattr(drug.sections, topic, None)
                if isinstance(section, ListSection):
                    items = self._where.setdefault(topic, {})
                    for position, item in enumerate(section.items):
                        items.setdefault(item, []).append((rank, position))
        self._found: dict[tuple[str, tuple[str, ...]], list[tuple[str, str]]] = {}

    def covers(self, drug_ids: Sequence[str]) -> bool:
        """True when ``drug_ids`` are all the drugs, in the knowledge's order."""
        return len(drug_ids) == len(self._order) and list(drug_ids) == self._order

    def find(self, topic: str, listed: Sequence[str]) -> list[tuple[str, str]]:
        """(drug id, item) for every item that contains one of ``listed`` as whole words, in
        the order of the drugs and of their items."""
        key = (topic, tuple(listed))
        found = self._found.get(key)
        if found is None:
            wanted = [tuple(words(w)) for w in listed]
            places = sorted(
                (rank, position, item)
                for item, where in self._where.get(topic, {}).items()
                if any(contains(words(item), phrase) for phrase in wanted)
                for rank, position in where
            )
            found = [(self._order[rank], item) for rank, _, item in places]
            self._found[key] = found
        return found


def bullets(section: ListSection) -> str:
    items = "\n".join(f"• {item}" for item in section.items)
    return f"{section.lead}\n{items}" if section.lead else items


def matching_items(section: ListSection | None, listed: Sequence[str]) -> list[str]:
    """The items that contain one of ``listed`` as whole words."""
    if section is None:
        return []
    wanted = [tuple(words(w)) for w in listed]
    found = []
    for item in section.items:
        tokens = words(item)
        if any(contains(tokens, phrase) for phrase in wanted):
            found.append(item)
    return found


def contains(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(tokens[i : i + size]) == phrase for i in range(len(tokens) - size + 1))


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at the last paragraph, line, sentence or
    word break that keeps most of it, ending in "…"."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    for separator in ("\n\n", "\n", ". ", " "):
        found = head.rfind(separator)
        if found >= limit // 2:
            head = head[: found + 1] if separator == ". " else head[:found]
            break
    return head.rstrip() + "…"


def listing(names: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
