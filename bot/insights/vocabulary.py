"""What the knowledge already says, read back over a logged question, to find the words it lacks.

The engine has its own reader; this one is deliberately plain (whole phrases, no typo
correction) and reads only the knowledge's data, so suggestions do not depend on the engine's
internals. A word counts as covered when it is part of a drug name, a topic or cue phrasing, a
lay term, or the filler list; the rest of a question is its *leftover*, and the leftover words
the knowledge has never seen are the new lay words to learn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.insights.phrases import Phrases
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.schema import ListSection
from bot.knowledge.text import normalise, words


@dataclass(frozen=True)
class Reading:
    """One question as the knowledge sees it."""

    tokens: tuple[str, ...]
    drugs: tuple[str, ...]
    """Our drugs it names (ids)."""
    others: tuple[tuple[str, str], ...]
    """Other drugs it names, from the reference list: (name as asked, substance)."""
    topics: tuple[str, ...]
    cue_topics: tuple[str, ...]
    """Topics whose check cues it uses ("does X make you ...?": side_effects)."""
    terms: tuple[str, ...]
    cues: tuple[str, ...]
    """Other cue words: overview, together, which, follow_up."""
    leftover: tuple[int, ...]
    """Positions of the words nothing in the knowledge accounts for (not filler either)."""
    content: tuple[str, ...]
    """The words without drug names and without the FAQ-ignored words."""
    new: tuple[str, ...] = field(default=())
    """Leftover words the knowledge has never seen anywhere."""
    loose: tuple[int, ...] = field(default=())
    """Positions of filler words no phrase covers: they may join leftover words."""
    known: frozenset[str] = field(default=frozenset())
    """The knowledge's words, for trimming a run."""

    def run(self, keep: frozenset[str] = frozenset()) -> list[str]:
        """The leftover words said together, filler between them included, with the most new
        words; trimmed of filler at both ends, and at the start of words the knowledge already
        uses, except those in ``keep`` ("stop my pins and needles": "pins and needles")."""
        loose, leftover = set(self.loose), set(self.leftover)
        runs: list[list[int]] = []
        for position in sorted(leftover | loose):
            if runs and runs[-1][-1] == position - 1:
                runs[-1].append(position)
            else:
                runs.append([position])
        runs = [r for r in runs if leftover.intersection(r)]
        if not runs:
            return []
        best = max(runs, key=lambda r: (sum(self.tokens[i] in self.new for i in r), len(r)))
        if any(self.tokens[i] in self.new or self.tokens[i] in keep for i in best):
            while best[0] in loose or self.tokens[best[0]] in self.known - keep:
                best = best[1:]  # "make your hair ...", "feel spacey": the asking, not the thing
        while best[-1] in loose:
            best = best[:-1]
        return [self.tokens[i] for i in best]

    def core(self) -> str:
        """The new lay words: :meth:`run` ("make you feel spacey": "spacey"); "" when none."""
        return " ".join(self.run())


@dataclass(frozen=True)
class FaqText:
    """An FAQ's question or one of its phrasings, without the words FAQs ignore."""

    combination: str
    drugs: frozenset[str]
    faq: str
    question: str
    reduced: str


@dataclass(frozen=True)
class ListedItem:
    topic: str
    item: str
    words: frozenset[str]


class Vocabulary:
    """Every phrase of the knowledge, indexed once."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.drug_names = Phrases(
            (name, drug.id)
            for drug in knowledge.drugs.values()
            for name in (drug.id, drug.name, drug.generic_name, *drug.brands, *drug.misspellings)
        )
        topics = knowledge.topics.topics
        self.topics = Phrases((p, t) for t, topic in topics.items() for p in topic.phrasings)
        self.cues = Phrases((c, t) for t, topic in topics.items() for c in topic.check_cues)
        self.terms = Phrases((s, term.id) for term in knowledge.terms.terms for s in term.said)
        lists = knowledge.words
        self.other_cues = Phrases(
            (p, "cue") for p in (*lists.overview, *lists.together, *lists.which, *lists.follow_up)
        )
        self.filler = frozenset(w for p in lists.filler for w in words(p))
        self.faq_ignore = lists.faq_ignored()
        self.faq_texts = [
            FaqText(c.id, frozenset(c.drugs), faq.id, faq.question, self._reduce(text))
            for c in knowledge.combinations.values()
            for faq in c.faqs
            for text in (faq.question, *faq.phrasings)
        ]
        faq_words = {
            w
            for c in knowledge.combinations.values()
            for faq in c.faqs
            for text in (faq.question, *faq.phrasings)
            for w in words(text)
        }
        self.said = [
            (term.id, said, normalise(said)) for term in knowledge.terms.terms for said in term.said
        ]
        self.items = {drug.id: self._items(drug.id) for drug in knowledge.drugs.values()}
        self.drug_name_list = [
            (normalise(name), drug.id)
            for drug in knowledge.drugs.values()
            for name in dict.fromkeys((drug.name, drug.generic_name, *drug.brands))
        ]
        self._drug_files: dict[str, str] | None = None
        self.known = frozenset(
            self.drug_names.words()
            | self.topics.words()
            | self.cues.words()
            | self.terms.words()
            | self.other_cues.words()
            | self.filler
            | faq_words
            | set(self.items_words())
        )

    def items_words(self) -> Iterable[str]:
        for items in self.items.values():
            for item in items:
                yield from item.words

    def _items(self, drug_id: str) -> list[ListedItem]:
        """Each item of the drug's list sections."""
        drug = self.knowledge.drugs[drug_id]
        found: list[ListedItem] = []
        for topic, section in drug.sections.items():  # the list sections: lay terms' items
            if isinstance(section, ListSection):
                found.extend(ListedItem(topic, i, frozenset(words(i))) for i in section.items)
        return found

    def drug_file(self, drug_id: str) -> str:
        """The file (relative to the knowledge) that holds the drug ``drug_id``."""
        if self._drug_files is None:
            self._drug_files = {}
            for path in sorted((self.knowledge.root / "drugs").glob("*.yaml")):
                match = re.search(r"^id:\s*['\"]?([a-z0-9_-]+)", path.read_text("utf-8"), re.M)
                if match:
                    self._drug_files.setdefault(match[1], f"drugs/{path.name}")
        return self._drug_files.get(drug_id, f"drugs/{drug_id}.yaml")

    def _reduce(self, text: str) -> str:
        return " ".join(w for w in words(text) if w not in self.faq_ignore)

    def read(self, question: str) -> Reading:
        """Drug names first, on the words as asked; then the phrases, on the other words (so
        "how does gabapentin work" has "how does work"), as the engine reads them."""
        tokens = tuple(words(question))
        drugs: list[str] = []
        named: set[int] = set()
        for start, end, value in self.drug_names.find(tokens, set()):
            named.update(range(start, end))
            if value not in drugs:
                drugs.append(value)
        others = self._other_drugs(tokens, named)
        named.update(i for i, w in enumerate(tokens) if w in {o for o, _ in others})
        place = [i for i in range(len(tokens)) if i not in named]  # rest -> position
        rest = [tokens[i] for i in place]
        covered: set[int] = set()
        joining: set[int] = set()
        found: dict[str, list[str]] = {}
        for name, phrases in (
            ("terms", self.terms),
            ("topics", self.topics),
            ("cues", self.cues),
            ("other", self.other_cues),
        ):
            for start, end, value in phrases.find(rest, covered):
                covered.update(range(start, end))
                if name == "other":  # "and", "also": words that join, like filler
                    joining.update(range(start, end))
                if value not in found.setdefault(name, []):
                    found[name].append(value)
        leftover = tuple(
            place[i] for i, w in enumerate(rest) if i not in covered and w not in self.filler
        )
        return Reading(
            tokens=tokens,
            drugs=tuple(drugs),
            others=others,
            topics=tuple(found.get("topics", ())),
            cue_topics=tuple(found.get("cues", ())),
            terms=tuple(found.get("terms", ())),
            cues=tuple(found.get("other", ())),
            leftover=leftover,
            content=tuple(w for w in rest if w not in self.faq_ignore),
            new=tuple(tokens[i] for i in leftover if tokens[i] not in self.known),
            loose=tuple(
                place[i]
                for i, w in enumerate(rest)
                if i in joining or (i not in covered and w in self.filler)
            ),
            known=self.known,
        )

    def _other_drugs(self, tokens: Sequence[str], covered: set[int]) -> tuple[tuple[str, str], ...]:
        names = self.knowledge.reference_names
        found: list[tuple[str, str]] = []
        for i, w in enumerate(tokens):
            if i not in covered and w not in self.known and w in names:
                found.append((w, names[w]))
        return tuple(found)
