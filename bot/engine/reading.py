"""Reading a question: which drugs, topics, lay terms and cue words it contains.

The result, an :class:`Analysis`, is what :mod:`bot.engine.engine` decides on. Everything here is
driven by the knowledge's lexicon; nothing about any particular drug is written in code.
"""

from __future__ import annotations

import itertools

from bot.engine.analysis import Analysis, Cue
from bot.engine.drugs import DrugFinder
from bot.engine.phrases import PhraseIndex, Speller
from bot.engine.sentences import asked_focus, asked_sentence, is_yes_no, second_question
from bot.engine.stems import stem
from bot.engine.symbols import Symbols
from bot.engine.unknown_names import UnknownNames
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.text import words

__all__ = ["Analysis", "Cue", "Lexicon"]  # Analysis and Cue: their home is bot.engine.analysis

MAX_WORDS = 80
"""Words of a question that are read; a longer message is cut, not refused."""


class Lexicon:
    """Every index built once from the knowledge; :meth:`analyse` is then cheap."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.drug_finder = DrugFinder(knowledge)
        self.topics = PhraseIndex(
            (phrasing, topic_id)
            for topic_id, topic in knowledge.topics.topics.items()
            for phrasing in topic.phrasings
        )
        self.terms = PhraseIndex(
            (said, term.id) for term in knowledge.terms.terms for said in term.said
        )
        lists = knowledge.words
        cue_entries: list[tuple[str, Cue]] = [
            *((p, "overview") for p in lists.overview),
            *((p, "together") for p in lists.together),
            *((p, "which") for p in lists.which),
            *((p, "follow_up") for p in lists.follow_up),
            *((p, "each") for p in lists.each),
            *((p, "both") for p in lists.both),
            *((p, "pointer") for p in lists.one_pointer),
        ]
        self.cues = PhraseIndex(cue_entries)
        self.checks = PhraseIndex(
            (cue, f"check:{topic_id}")
            for topic_id, topic in knowledge.topics.topics.items()
            for cue in topic.check_cues
        )
        self.classes = PhraseIndex(
            (name, drug.id) for drug in knowledge.drugs.values() for name in drug.classes
        )
        self.filler = frozenset(w for phrase in lists.filler for w in words(phrase))
        self.openers = {w: True for p in lists.yes_no for w in words(p)}
        self.openers.update({w: False for p in lists.wh for w in words(p)})
        self.check_before = {
            w: f"check:{topic_id}"
            for topic_id, topic in knowledge.topics.topics.items()
            for p in topic.check_before
            for w in words(p)
        }
        pointing = (*lists.other_one, *lists.pointers, *lists.both, *lists.which, *lists.each)
        self.kinds = frozenset(w for p in lists.kinds for w in words(p))
        self.not_an_item = self.filler | self.kinds | {w for p in pointing for w in words(p)}
        back = (*lists.pointers, *lists.other_one, *lists.both, *lists.together, *lists.adding)
        self.pointing = PhraseIndex((p, True) for p in back)
        self.symbols = Symbols(lists.symbols, self.drug_finder)
        self.articles = frozenset(w for p in lists.articles for w in words(p))
        # Words between a topic's words that name the drugs asked about ("how do they both
        # work", "how do neurontin capsules work")
        self.pointer_words = frozenset(w for p in lists.both for w in words(p)) | frozenset(
            self.check_before
        )
        self.hedges = frozenset(w for phrase in lists.hedges for w in words(phrase))
        self.faq_ignore = lists.faq_ignored()
        faq_words = {
            w
            for combination in knowledge.combinations.values()
            for faq in combination.faqs
            for text in (faq.question, *faq.phrasings)
            for w in words(text)
        }
        vocabulary = (
            self.topics.words()
            | self.terms.words()
            | self.cues.words()
            | self.checks.words()
            | self.classes.words()
            | self.filler
            | faq_words
        )
        conversation = knowledge.conversation
        self.uncovered = PhraseIndex(
            (said, topic_id)
            for topic_id, topic in conversation.uncovered.items()
            for said in topic.said
        )
        self.small_talk = PhraseIndex(
            (said, kind) for kind, talk in conversation.small_talk.items() for said in talk.said
        )
        vocabulary |= self.uncovered.words() | self.small_talk.words()
        vocabulary |= {w for group in knowledge.synonyms.groups for p in group for w in words(p)}
        self.ordinary = frozenset(vocabulary)
        self.english = knowledge.common_words
        phrases = [
            *(p for t in knowledge.topics.topics.values() for p in (*t.phrasings, *t.check_cues)),
            *(p for t in knowledge.terms.terms for p in t.said),
            *(p for group in (lists.overview, lists.together, lists.which) for p in group),
            *lists.follow_up,
            *(
                p
                for c in knowledge.combinations.values()
                for f in c.faqs
                for p in (f.question, *f.phrasings)
            ),
            *(p for t in conversation.uncovered.values() for p in t.said),
            *(p for t in conversation.small_talk.values() for p in t.said),
        ]
        self.stems = frozenset(stem(w) for w in self.drug_finder.own_words)
        joining = frozenset(
            w for p in (*lists.together, *lists.adding, *lists.follow_up) for w in words(p)
        )
        # "and", "also", "then": a word that joins a second question on ("... and is it ...")
        self.conjunctions = frozenset(p for p in lists.follow_up if len(words(p)) == 1)
        self.pointer_words |= self.conjunctions  # "how do neurontin and elavil each work"
        self.adding = PhraseIndex((p, True) for p in lists.adding)
        self.taking = PhraseIndex((p, True) for p in lists.taking)
        self.names = UnknownNames(
            self.drug_finder, self.ordinary, self.english, self.openers, self.not_an_item, joining
        )
        self.speller = Speller(
            vocabulary | self.drug_finder.own_words,
            protected=self.drug_finder.ours,
            phrases=phrases,
            common=knowledge.common_words,
        )

    def analyse(self, question: str) -> Analysis:
        question = self.symbols.as_words(question)
        raw = words(question)[:MAX_WORDS]
        # Drug names first, on the words as typed: a drug name is never "corrected".
        mentions = self.drug_finder.find(raw, self.ordinary)
        focus = asked_focus(question, raw, mentions, self.pointing, self.topics)
        if focus is not None:
            # drugs told of before the question are not asked about ("he was switched from
            # amitriptyline to gabapentin. what is gabapentin used for?")
            mentions = [m for m in mentions if m.start in focus or not (m.other or m.drug)]
        in_mention = {i for m in mentions for i in range(m.start, m.end)}
        # A word inflected as the knowledge's own words are ("tingle", "tingling") is no typo.
        own = {i for i, w in enumerate(raw) if w not in self.ordinary and stem(w) in self.stems}
        spelled = self.speller.correct_all(raw, keep=in_mention | own)
        place = [i for i in range(len(spelled)) if i not in in_mention]
        rest = [spelled[i] for i in place]
        analysis = Analysis(tokens=raw, content=rest, spelled=spelled)
        ours = [m for m in mentions if m.drug]
        for first, second in itertools.pairwise(ours):
            between = raw[first.end : second.start]
            taken = self.taking.find(raw[max(0, first.start - 2) : first.start])
            if self.adding.find(between) or (taken and set(between) <= self.conjunctions):
                analysis.cues.add("together")  # "gabapentin with ami", "i'm on gaba and ami"
        for mention in mentions:
            if mention.drug:
                analysis.named_at.append(mention.start)
            if mention.drug and mention.drug not in analysis.drugs:
                analysis.drugs.append(mention.drug)
            elif mention.other:
                analysis.others.append(mention)
            elif mention.near:
                analysis.near.append(mention)
        # Phrases are looked up without hedges: "how does it actually work" asks how it works.
        where = [i for i, w in enumerate(rest) if w not in self.hedges]
        firm = [rest[i] for i in where]
        covered: set[int] = {i for i, w in enumerate(rest) if w in self.hedges}
        # With no drug named, small talk is read first: "what can you help with" asks what
        # the bot does, not what a medicine is used for.
        talk: set[int] = set()
        if not mentions:
            found = self.small_talk.find(firm)
            spans = {k for m in found for k in range(m.start, m.end)}
            if all(k in spans or w in self.filler for k, w in enumerate(firm)):
                talk = spans
            for match in found:
                if match.value not in analysis.small_talk:
                    analysis.small_talk.append(match.value)
        cue_indexes = {id(self.cues), id(self.checks)}
        term_starts: set[int] = set()
        term_at: dict[str, int] = {}
        for index, target in (
            (self.terms, analysis.terms),
            (self.topics, analysis.topics),
            (self.classes, analysis.classes),
            (self.cues, None),
            (self.checks, None),
            (self.uncovered, analysis.uncovered),
        ):
            for match in index.find(firm):
                if talk.intersection(range(match.start, match.end)):
                    continue
                if index is self.terms:
                    term_starts.add(match.start)
                    term_at.setdefault(match.value, place[where[match.start]])
                if index is self.cues and match.value in ("together", "both"):
                    after = match.end + (match.end < len(firm) and firm[match.end] in self.articles)
                    if after in term_starts:
                        # "does it cause both the dizziness and the swelling": both items
                        covered.update(where[k] for k in range(match.start, match.end))
                        continue
                if index is self.uncovered and focus and place[where[match.start]] not in focus:
                    continue  # told of before the question
                covered.update(where[k] for k in range(match.start, match.end))
                if index is self.uncovered:
                    analysis.uncovered_said.append(firm[match.start : match.end])
                if id(index) in cue_indexes:
                    analysis.cues.add(match.value)
                    if match.value == "both" and self.taking.find(
                        firm[max(0, match.start - 2) : match.start]
                    ):
                        analysis.cues.add("together")  # "when you take both of them"
                elif target is not None and match.value not in target:
                    target.append(match.value)
        bare = [k for k, w in enumerate(firm) if w not in self.pointer_words and k not in talk]
        if not analysis.topics and len(bare) < len(firm) and not talk:
            # "how do they both work": the topic's phrase ("how do work") with the words
            # that point at both drugs left out
            for match in self.topics.find([firm[k] for k in bare]):
                covered.update(where[bare[k]] for k in range(match.start, match.end))
                if match.value not in analysis.topics:
                    analysis.topics.append(match.value)
        covered.update(where[k] for k in talk)
        for k in range(1, len(firm)):
            # "an anxiety med": the word before a medicine noun is what it is for
            cue, item = self.check_before.get(firm[k]), firm[k - 1]
            if cue and item.isalpha() and item not in self.not_an_item:
                analysis.cues.add(cue)
            elif cue and item in self.kinds:
                analysis.cues.add("overview")  # "is it a strong drug?": what it is, no check
        asked = asked_sentence(question)
        if asked is not None:
            # what the sentence that asks names comes first ("... since my neuropathy. do
            # either of them list weight gain?")
            analysis.terms.sort(key=lambda t: term_at.get(t, 0) not in asked)
        analysis.yes_no = is_yes_no(spelled, asked, self.openers)
        analysis.second_at = second_question(spelled, self.openers, self.conjunctions)
        analysis.leftover = [
            w for i, w in enumerate(rest) if i not in covered and w not in self.filler
        ]
        if asked is not None:
            analysis.asked = [
                w
                for i, w in enumerate(rest)
                if i not in covered and w not in self.filler and place[i] in asked
            ]
        analysis.unknown = [
            w
            for w in analysis.leftover
            if w not in self.ordinary and w.isalpha() and self.drug_finder.resembles_other(w)
        ]
        analysis.strange = self.names.strange_subject(spelled, analysis.leftover)
        analysis.foreign = self.names.foreign(question, analysis.leftover)
        if analysis.foreign and analysis.named_at:
            analysis.paired = self.names.beside_ours(
                question, raw, analysis.named_at, analysis.leftover
            )
        return analysis
