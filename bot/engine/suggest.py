"""Autocomplete: FAQ questions and "drug: topic" pairs that match what is typed."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.engine.decisions import FaqChoice, TopicChoice
from bot.engine.replies import Suggestion
from bot.engine.texts import Texts
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.text import words

SUGGEST_POOL = 200
"""Autocomplete ranks the best fuzzy candidates by how many typed words begin their words."""
MAX_SUGGESTION = 100
"""Discord's limit on an autocomplete choice."""


class Suggester:
    def __init__(self, knowledge: KnowledgeBase, texts: Texts) -> None:
        self._choices = [
            texts.suggestion(TopicChoice(drug.id, topic))
            for drug in knowledge.drugs.values()
            for topic in knowledge.topics.topics
            if topic in drug.sections
        ]
        for combination in knowledge.combinations.values():
            for faq in combination.faqs:
                full = texts.suggestion(FaqChoice(combination.id, faq.id), several_pages=True)
                question = full.question[:MAX_SUGGESTION]
                self._choices.append(Suggestion(faq.question[:MAX_SUGGESTION], question))
        self._labels = [choice.label for choice in self._choices]

    def suggest(self, typed: str, limit: int = 25) -> list[Suggestion]:
        """Typed words that begin words of a choice rank it first ("gaba side"); a choice that
        no typed word begins is ranked by fuzzy similarity, so typos still find something."""
        typed_words = words(typed)
        if not typed_words:
            return self._choices[:limit]
        candidates = process.extract(
            typed,
            self._labels,
            scorer=fuzz.WRatio,
            processor=default_process,
            score_cutoff=50,
            limit=SUGGEST_POOL,
        )
        ranked = sorted(
            (-self._prefixes(typed_words, index), -similarity, index)
            for _, similarity, index in candidates
        )
        return [self._choices[index] for _, _, index in ranked[:limit]]

    def _prefixes(self, typed_words: list[str], index: int) -> int:
        label_words = words(self._labels[index])  # of a few hundred candidates: not kept
        return sum(any(w.startswith(t) for w in label_words) for t in typed_words)
