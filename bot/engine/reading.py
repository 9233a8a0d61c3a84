"""Reading a question: which drugs, topics, lay terms and cue words it contains.

The result, an :class:`Analysis`, is what :mod:`bot.engine.engine` decides on. Everything here is
driven by the knowledge's lexicon; nothing about any particular drug is written in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.engine.drugs import DrugFinder, DrugMention
from bot.engine.phrases import PhraseIndex, Speller
from bot.engine.sentences import asked_focus
from bot.engine.stems import stem
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.text import words

MAX_WORDS = 80
"""Words of a question that are read; a longer message is cut, not refused."""

SUBJECT_WORDS = 2
"""Words after a yes/no opener read as what the question is about ("does co codamol ...")."""

Cue = str
"""One of: overview, together, which, follow_up, each, both, or "check:<topic>"."""


@dataclass
class Analysis:
    tokens: list[str]
    drugs: list[str] = field(default_factory=list)
    others: list[DrugMention] = field(default_factory=list)
    near: list[DrugMention] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    cues: set[Cue] = field(default_factory=set)
    classes: list[str] = field(default_factory=list)
    """Drugs whose class the question names ("is amitriptyline a TCA?")."""
    leftover: list[str] = field(default_factory=list)
    """Words nothing in the knowledge accounts for: a topic the knowledge may not cover."""
    content: list[str] = field(default_factory=list)
    """The words without drug names, for comparing with FAQ phrasings."""
    unknown: list[str] = field(default_factory=list)
    """Words that look like the name of a drug we do not know (a near miss of a reference
    name); any other unknown word is just a word."""
    uncovered: list[str] = field(default_factory=list)
    """Topics the knowledge does not cover that the question names (alcohol, pregnancy ...)."""
    uncovered_words: list[str] = field(default_factory=list)
    """The words that named those topics."""
    small_talk: list[str] = field(default_factory=list)
    """Small talk the message is made of (hello, thanks, what can you do)."""
    spelled: list[str] = field(default_factory=list)
    """All the words with spelling mended in context (drug names as typed)."""
    strange: list[str] = field(default_factory=list)
    """Leftover words neither English (the reference list) nor the lexicon's: maybe a name."""
    yes_no: bool = False
    """Asked as a yes/no question ("is it used for anxiety?"), not a wh-question."""

    def has(self, cue: Cue) -> bool:
        return cue in self.cues

    @property
    def together(self) -> bool:
        """Asks about taking drugs together."""
        return self.has("together")


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
        self.speller = Speller(
            vocabulary | self.drug_finder.own_words,
            protected=self.drug_finder.ours,
            phrases=phrases,
            common=knowledge.common_words,
        )

    def _strange_subject(self, spelled: list[str], leftover: list[str]) -> list[str]:
        """The words right after a yes/no opener ("does co-codamol ...") that neither English
        nor the lexicon knows: what the question is about, and not ours. "does it ..." and
        any word elsewhere in the message are left alone."""
        opener = next((i for i, w in enumerate(spelled) if w in self.openers), None)
        if not self.english or opener is None or not self.openers[spelled[opener]]:
            return []
        subject = spelled[opener + 1 : opener + 1 + SUBJECT_WORDS]
        if not subject or subject[0] in self.not_an_item:
            return []
        unknown = [w for w in subject if w.isalpha() and w in leftover]
        return [w for w in unknown if w not in self.ordinary and w not in self.english]

    def analyse(self, question: str) -> Analysis:
        raw = words(question)[:MAX_WORDS]
        # Drug names first, on the words as typed: a drug name is never "corrected".
        mentions = self.drug_finder.find(raw, self.ordinary)
        focus = asked_focus(question, raw, mentions, self.pointing, self.topics)
        if focus is not None:
            mentions = [m for m in mentions if m.start in focus or not m.other]
        in_mention = {i for m in mentions for i in range(m.start, m.end)}
        # A word inflected as the knowledge's own words are ("tingle", "tingling") is no typo.
        own = {i for i, w in enumerate(raw) if w not in self.ordinary and stem(w) in self.stems}
        spelled = self.speller.correct_all(raw, keep=in_mention | own)
        place = [i for i in range(len(spelled)) if i not in in_mention]
        rest = [spelled[i] for i in place]
        analysis = Analysis(tokens=raw, content=rest, spelled=spelled)
        for mention in mentions:
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
                if index is self.uncovered and focus and place[where[match.start]] not in focus:
                    continue  # told of before the question
                covered.update(where[k] for k in range(match.start, match.end))
                if index is self.uncovered:
                    analysis.uncovered_words += firm[match.start : match.end]
                if id(index) in cue_indexes:
                    analysis.cues.add(match.value)
                elif target is not None and match.value not in target:
                    target.append(match.value)
        covered.update(where[k] for k in talk)
        for k in range(1, len(firm)):
            # "an anxiety med": the word before a medicine noun is what it is for
            cue, item = self.check_before.get(firm[k]), firm[k - 1]
            if cue and item.isalpha() and item not in self.not_an_item:
                analysis.cues.add(cue)
            elif cue and item in self.kinds:
                analysis.cues.add("overview")  # "is it a strong drug?": what it is, no check
        analysis.yes_no = next((self.openers[w] for w in spelled if w in self.openers), False)
        analysis.leftover = [
            w for i, w in enumerate(rest) if i not in covered and w not in self.filler
        ]
        analysis.unknown = [
            w
            for w in analysis.leftover
            if w not in self.ordinary and w.isalpha() and self.drug_finder.resembles_other(w)
        ]
        analysis.strange = self._strange_subject(spelled, analysis.leftover)
        return analysis
