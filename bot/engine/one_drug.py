"""The rules for a question about one drug: a section, a check of one item, an FAQ, the
best unit of the knowledge index, else an overview; never a fallback for a leftover word."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from bot.engine.decisions import Both, Check, Decision, Overview, Uncovered
from bot.engine.reading import Analysis
from bot.engine.understanding import (
    FAQ_CONFIDENT,
    GUESS_SCORE,
    MAX_CONCEPT,
    ONE_DRUG_FAQ,
    SHORT_QUESTION,
    OpenReader,
)


class SectionsOf(Protocol):
    def sections(self, drug: str, topics: Sequence[str]) -> Decision: ...


class OneDrug:
    def __init__(
        self,
        reader: OpenReader,
        topics: Collection[str],
        text_topics: Collection[str],
        class_topic: str | None,
        sections: SectionsOf,
    ) -> None:
        self.reader = reader
        self.topics = topics
        self.text_topics = text_topics
        self.class_topic = class_topic
        self.sections = sections

    def decide(self, a: Analysis, drug: str) -> Decision:
        r = self.reader
        strong = a.has(f"check:{r.default}")
        uncovered = r.uncovered(a, [drug])
        if uncovered:
            return Uncovered(uncovered, (drug,))
        written = r.written_of(a, [drug])
        spoken = r.best_unit(a, [drug], written, confident=FAQ_CONFIDENT) if written else None
        if spoken is not None:
            return r.answer_unit(spoken)  # the text that speaks of it ("a few weeks")
        topics = [t for t in a.topics if t in self.topics]
        text_topics = [t for t in topics if t in self.text_topics]
        if text_topics:  # "how does it work for pain?" asks how, not whether; with another
            sections = self.sections.sections(drug, topics)  # topic named, both are asked
            check = r.check(a, drug) if a.terms and len(topics) == 1 else None
            if check is not None and a.second_yes_no:
                # "how does ami work and is it for sleep?": both parts
                return Both(sections, check)
            return sections
        # A section topic or lay term is read by the lexicon; an FAQ must then fit the rest.
        asked = a.leftover if (topics or a.terms or strong) else a.content
        check = r.check(a, drug)
        if check and check.found:
            # "my ankles are swelling": "ankles" belongs to the item found, not to an FAQ
            asked = [w for w in asked if not r.items.cover_items([w], check.found)]
        faq = r.faq([drug], asked, ONE_DRUG_FAQ)
        if faq is None and a.asked and len(a.asked) < len(asked):
            faq = r.faq([drug], a.asked, ONE_DRUG_FAQ)  # the story told first left out
        named = check is not None and (bool(check.found) or bool(a.terms))
        if check is not None and not named:
            # "sick of the side effects, can i stop it?": a word of the FAQs' groups ("stop")
            # is what is asked; the rest names no item to call "not listed"
            grouped_words = r.index.normaliser.grouped(asked if a.asked is None else a.asked)
            if grouped_words:
                fits = faq or r.faq([drug], grouped_words, ONE_DRUG_FAQ)
                if fits is not None:
                    return fits
        if faq and check and named:
            # "can I stop it cold turkey? sick of the dry mouth": the FAQ (matched by the words
            # the check leaves over), then the check
            return Both(faq, check)
        if check and named and strong:
            return check  # "does it make you lose weight?" asks that, whatever an FAQ says
        grouped = any(s.startswith("=") for s in r.index.normaliser.stems(asked))
        if faq and check and strong and not grouped:
            faq = None  # "does it cause hair loss?": an FAQ sharing "loss" is not the answer
        concept = r.items.concept(a.leftover)
        held = r.best_unit(a, [drug], concept, confident=FAQ_CONFIDENT) if concept else None
        text_held = held is not None and held.unit.topic in self.text_topics
        if a.has("overview") and not (topics or named) and text_held and held:
            return r.answer_unit(held)  # "what does it do to serotonin?": the text saying so
        if a.has("overview") and not topics and not (named and strong) and not grouped:
            return Overview(drug)  # "what should I know about it?", "a quick overview"
        if faq and not topics:
            return faq
        if check and not named and not topics:
            # Words the knowledge uses elsewhere ("does it affect serotonin"): that unit.
            found = r.best_unit(a, [drug], a.leftover, confident=FAQ_CONFIDENT)
            if found is not None and found.unit.kind == "section":
                return r.answer_unit(found)
        if check and named and not (a.terms or any(a.has(f"check:{t}") for t in topics)):
            # Items named in passing ("on the muscles or on the brain?"): a section that
            # holds more of the question's words is what is asked.
            found = r.best_unit(a, [drug])
            if found is not None and found.unit.topic in self.text_topics:
                return r.answer_unit(found)
        if check and (named or not topics or (a.yes_no and a.has(f"check:{check.topic}"))):
            return check  # "is it used for anxiety?" checks; "what is it used for?" lists
        if topics:
            return self.sections.sections(drug, topics)
        if faq:
            return faq
        if drug in a.classes and self.class_topic:
            return self.sections.sections(drug, [self.class_topic])
        found = r.best_unit(a, [drug])
        if found is not None:
            return r.answer_unit(found)
        if check:
            return check
        if a.has("overview") or not r.index.telling(a.content):
            return Overview(drug)
        if held is not None:
            return r.answer_unit(held)  # "does it affect serotonin?": the text that says so
        asks = a.yes_no or any(w in r.wh for w in a.content)
        short = len(a.content) <= SHORT_QUESTION and not asks
        if concept and len(concept) <= MAX_CONCEPT and short:
            # "gabapentin memory loss?": is it listed? Nothing named it, so: not listed. Not
            # "gabapentin is fine" or "how long does it take to work": no item is asked for.
            words_asked = r.items.phrase(a.leftover)
            return Check(drug, "", r.check_topic(a, {}), (), GUESS_SCORE, words_asked)
        return Overview(drug)
