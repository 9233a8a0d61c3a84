"""The knowledge's words for replies, shared by every renderer: drug names, section texts,
"what I can answer", and the words of a clarify choice."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import decisions as d
from bot.engine.replies import Suggestion
from bot.engine.wording import MAX_LISTED, bullets, listing
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.schema import ListSection


class Texts:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.kb = knowledge
        self.messages = knowledge.messages
        self.topics = knowledge.topics.topics
        self.terms = {term.id: term for term in knowledge.terms.terms}
        self._combined = frozenset(x for c in knowledge.combinations.values() for x in c.drugs)
        self._covered = frozenset(t for drug in knowledge.drugs.values() for t in drug.sections)

    def suggestion(self, choice: d.Choice, *, several_pages: bool = False) -> Suggestion:
        """A clarify choice (or an autocomplete one) as the words to show and to ask."""
        if isinstance(choice, d.TopicChoice):
            label = f"{self.kb.drugs[choice.drug].name}: {self.topics[choice.topic].label}"
            return Suggestion(label, label, choice.drug)
        if isinstance(choice, d.DrugChoice):
            name = self.kb.drugs[choice.drug].name
            return Suggestion(name, choice.asked or name, choice.drug)
        combination = self.kb.combinations[choice.combination]
        if isinstance(choice, d.CombinationChoice):
            return Suggestion(combination.title, combination.title)
        faq = next(f for f in combination.faqs if f.id == choice.faq)
        question = f"{combination.title}: {faq.question}"
        return Suggestion(question if several_pages else faq.question, question)

    def listing(self, names: Sequence[str]) -> str:
        return listing(names, self.messages.list_and)

    def drug_names(self, drug_ids: Sequence[str]) -> str:
        return self.listing([self.kb.drugs[x].name for x in drug_ids])

    def section_text(self, drug_id: str, topic: str, heading: bool = False) -> str | None:
        section = self.kb.drugs[drug_id].sections.get(topic)
        if section is None:
            return None
        text = bullets(section) if isinstance(section, ListSection) else section.text
        return f"**{self.topics[topic].label}**\n{text}" if heading else text

    def can_answer(self, drugs: Sequence[str] = ()) -> str:
        """What the bot can answer about ``drugs`` (all, when empty): the topics their
        pages cover, and taking them together when a combination page covers them."""
        chosen = list(drugs) or list(self.kb.drugs)
        shown = [self.kb.drugs[x].name for x in chosen[:MAX_LISTED]]
        more = len(chosen) - len(shown)
        names = self.listing([*shown, self.messages.more.format(count=more)] if more else shown)
        covered = (
            self._covered if not drugs else {t for x in chosen for t in self.kb.drugs[x].sections}
        )
        one = len(chosen) == 1
        topics = self.listing(
            [
                (t.can_answer_one or t.can_answer) if one else t.can_answer
                for i, t in self.topics.items()
                if i in covered
            ]
        )
        together = not self._combined.isdisjoint(chosen)
        clause = self.messages.combined_clause if together else ""
        return self.messages.can_answer.format(drugs=names, topics=topics, combined_clause=clause)
