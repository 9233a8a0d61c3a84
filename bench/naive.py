"""The naive baseline: what a simple bot does, one fuzzy scan over every text it knows."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.engine.wording import bullets
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.schema import ListSection


class NaiveBot:
    """``extractOne`` with ``WRatio`` over the text of every drug section and FAQ.

    The texts are lower-cased and stripped once, up front, so the baseline is not slowed by
    work a simple bot would also do only once.
    """

    def __init__(self, knowledge: KnowledgeBase) -> None:
        texts: list[str] = []
        for drug in knowledge.drugs.values():
            for section in drug.sections.values():
                said = bullets(section) if isinstance(section, ListSection) else section.text
                texts.append(f"{drug.name} {said}")
        for combination in knowledge.combinations.values():
            for text in (combination.about, combination.combined_use):
                if text:
                    texts.append(text)
            texts += [f"{faq.question} {faq.answer}" for faq in combination.faqs]
        self.texts = [default_process(text) for text in texts]

    def ask(self, question: str) -> str | None:
        best = process.extractOne(default_process(question), self.texts, scorer=fuzz.WRatio)
        return None if best is None else best[0]
