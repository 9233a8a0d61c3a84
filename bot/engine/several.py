"""Questions about several drugs: does one ask which of them has a trait, and the reverse
look-up that answers it ("which of these causes dry mouth?", "which one is the opioid?"), by
the listed items' own words and the lay terms, else by the how-it-works texts. A part of
:class:`~bot.engine.understanding.OpenReader`, which supplies the indexes and the topic rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine import decisions as d
from bot.engine.items import ItemMatcher
from bot.engine.knowledge_index import KnowledgeIndex
from bot.engine.listing import ListedItems
from bot.engine.reading import Analysis
from bot.engine.text_lookup import texts_saying
from bot.knowledge.loading import KnowledgeBase

MAX_TEXTS = 20
"""How-it-works texts quoted by a reverse look-up, at most."""


class SeveralDrugs:
    kb: KnowledgeBase
    index: KnowledgeIndex
    items: ItemMatcher
    listed: ListedItems
    every_drug: list[str]
    order: dict[str, int]
    list_topics: list[str]
    text_topics: list[str]
    default: str
    both: frozenset[str]

    def named(self, a: Analysis, drug: str) -> dict[str, list[str]]:
        raise NotImplementedError

    def check_topic(self, a: Analysis, named: dict[str, list[str]]) -> str:
        raise NotImplementedError

    def _everywhere(self, a: Analysis, topic: str) -> list[tuple[str, str]]:
        found = self.items.named_everywhere(a.content, topic)
        for term in a.terms[:1]:
            listed = self.listed.listing(term, topic, self.every_drug)
            if not found:
                return listed
            found += listed
        order = self.order
        return sorted(set(found), key=lambda pair: (order[pair[0]], pair[1]))

    def asks_which(self, a: Analysis) -> bool:
        """Does a question naming several drugs ask which of them has a trait?"""
        if a.has("which") or (a.terms and not a.together):
            return True
        if a.together and not self.both.intersection(a.content):
            # "will combining them make me more tired?": the two together; but "do both
            # cause itching?" asks it of each
            return False
        # "for" alone is too weak a cue here ("X and Y for my back"): a use is asked with a
        # use phrase ("treats", "used for").
        cue = a.has(f"check:{self.default}") or any(
            a.has(f"check:{t}") and t in a.topics for t in self.list_topics
        )
        if not cue:
            return False
        named = any(any(self.named(a, drug).values()) for drug in a.drugs)
        topics = [t for t in a.topics if t in self.kb.topics.topics]
        return named or (not topics and not a.together and bool(self.items.concept(a.leftover)))

    def reverse(self, a: Analysis, drugs: Sequence[str], every: bool = False) -> d.Decision | None:
        """Which of ``drugs`` list what the question names, by the items' own words and the
        lay terms; failing that, whose how-it-works text uses the question's telling words."""
        source = a.leftover if self.items.concept(a.leftover) else a.content
        concept_words = self.items.concept(source)
        texts_maybe = self.index.using_all(concept_words, MAX_TEXTS) if concept_words else set()
        term = a.terms[0] if a.terms else ""
        concept = "" if term else self.items.phrase(source)
        if every:
            # Over every drug, from the postings: thousands of drugs are never read one by one.
            asked = any(a.has(f"check:{t}") or t in a.topics for t in self.list_topics)
            topics = [self.check_topic(a, {})] if asked else self.list_topics
            by_topic = {t: self._everywhere(a, t) for t in topics}
            wanted = self.check_topic(a, {t: [i for _, i in by_topic[t]] for t in by_topic})
            found = tuple(by_topic.get(wanted) or self._everywhere(a, wanted))
            drugs = self.every_drug
        else:
            named = {drug: self.named(a, drug) for drug in drugs}
            by_items = {t: [i for x in drugs for i in named[x][t]] for t in self.list_topics}
            wanted = self.check_topic(a, by_items)
            found = tuple((drug, item) for drug in drugs for item in named[drug].get(wanted, []))
        items_cover = self.items.cover_items(concept_words, {item for _, item in found})
        texts = []
        # Texts are read when the items do not hold the question, and only of the few drugs
        # whose pages use all its words ("which one is the opioid?").
        if not (found and items_cover) and texts_maybe:
            maybe = [x for x in drugs if x in texts_maybe]
            said = self.items.concept(a.content)  # a class the lexicon reads ("opioid") too
            texts = texts_saying(self.kb, self.index, self.text_topics, said, maybe)
        everyone = every
        if found and (items_cover or not texts):
            return d.Reverse(term, wanted, tuple(drugs), found, everyone, concept=concept)
        if texts:
            pairs = tuple((drug, text) for drug, _, text in texts)
            topic = texts[0][1]
            return d.Reverse(term, topic, tuple(drugs), pairs, everyone, concept=concept)
        if not (term or concept) or every:
            return None  # "what drugs cause X?" of no drug we know: not ours to answer
        return d.Reverse(term, wanted, tuple(drugs), (), everyone, concept=concept)
