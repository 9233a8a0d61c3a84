"""Which drugs' texts (how it works) say what a reverse look-up asks: "which one is the
opioid?", "which of the two affects serotonin?". The page's own words decide, not the
lexicon's phrasings for the topic: "muscle relaxant" is a class name every how-it-works unit
is matchable by, and "non-opioid" is no opioid."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.engine.knowledge_index import KnowledgeIndex
from bot.knowledge.loading import KnowledgeBase


def texts_saying(
    kb: KnowledgeBase,
    index: KnowledgeIndex,
    topics: Sequence[str],
    tokens: Sequence[str],
    drugs: Collection[str],
) -> list[tuple[str, str, str]]:
    """(drug, topic, text) for the text sections of ``drugs`` that say every telling word of
    ``tokens``; when none says all, those that say some and are the drug's best unit for
    them."""
    asked = set(index.normaliser.stems(tokens))
    whole: list[tuple[str, str, str]] = []
    partial: list[tuple[str, str, str]] = []
    for drug in drugs:
        for topic in topics:
            text = getattr(kb.drugs[drug].sections.get(topic), "text", None)
            if not text:
                continue
            own = set(index.normaliser.text_stems(text))
            if asked and asked <= own:
                whole.append((drug, topic, str(text)))
            elif own & asked:
                ranked = index.rank(tokens, [drug])
                if ranked and ranked[0].unit.topic == topic:
                    partial.append((drug, topic, str(text)))
    return whole or partial
