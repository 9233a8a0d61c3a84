"""Where a group of questions most likely belongs in the knowledge, and why.

Tried in order, the first that fits wins:

0. a new word spelled like one of our drugs' names: a misspelling of that drug;
1. a clarify choice members picked for these questions (an FAQ, or a drug's topic);
2. another drug the reference list knows (a page to write, not a phrasing);
3. an FAQ whose question or phrasings share the question's words (token set ratio);
4. a listed item of the drug that shares the question's new words: a lay term for it (the
   term that lists the item, or a new term when none does);
5. a topic whose check cue the question uses ("does X make you ...?" asks about side effects):
   the new words become a phrasing of that topic, so the answer shows the whole list. For a
   side effect that is the safe reply: a new word may be a lay name for a listed effect, and a
   "not listed" answer would then be wrong;
6. otherwise a topic the knowledge does not cover yet (to be written by a person).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from bot.insights.vocabulary import FaqText, ListedItem, Reading, Vocabulary
from bot.knowledge.text import normalise, words

TargetKind = Literal[
    "faq", "topic", "term", "new_term", "misspelling", "other_drug", "uncovered", "review"
]

FAQ_SCORE = 75.0
"""An FAQ is suggested when the question's words score this against one of its texts."""
TERM_SCORE = 85.0
"""New words this close to a term's lay phrasing (a spelling of it) belong to that term."""
NAME_SCORE = 80.0
"""A new word this close to one of our drugs' names is a misspelling of it."""

TOPICS_FILE = "lexicon/topics.yaml"
TERMS_FILE = "lexicon/terms.yaml"


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    key: str
    """topic id; ``combination-id#faq-id``; term id; new term id; substance; "" (uncovered)."""
    label: str
    file: str | None
    """The knowledge file ``medfaq learn`` writes (relative); None: a person must write it."""
    item: str | None = None
    """For a new term: the listed item it is about."""


@dataclass(frozen=True)
class Placement:
    target: Target
    phrase: str
    """What is added: a phrasing, or lay words."""
    evidence: str
    shared: tuple[str, ...] = ()
    score: float = 0.0


def place(
    vocab: Vocabulary, readings: Sequence[Reading], drugs: Sequence[str], picks: Counter[str]
) -> Placement | None:
    """Where these readings (one group's wordings, most frequent first) belong; None: nowhere."""
    first = readings[0]
    core = Counter(r.core() for r in readings if r.core()).most_common(1)
    phrase = core[0][0] if core else ""
    content = " ".join(first.content)
    misspelt = _misspelling(vocab, readings)
    if misspelt is not None:
        return misspelt
    for label, count in picks.most_common():
        picked = _picked(vocab, label)
        if picked is not None:
            said = content if picked.kind == "faq" else phrase
            if said:
                evidence = f'members picked "{label}" {count}x'
                return Placement(picked, said, evidence, score=100.0)
    others = [o for r in readings for o in r.others]
    if others and not first.drugs:
        name, substance = Counter(others).most_common(1)[0][0]
        target = Target("other_drug", substance, f"another drug: {substance}", None)
        return Placement(target, name, f'"{name}" is in the reference drug-name list')
    if not any(r.leftover for r in readings):
        return None  # every word has a place: unsure which drug, not short of words
    return (
        _faq(vocab, first, content)
        or _listed_item(vocab, first, phrase, drugs)
        or _cue_topic(vocab, first, phrase, drugs)
        or _uncovered(vocab, phrase or " ".join(first.tokens[i] for i in first.leftover), drugs)
    )


def _misspelling(vocab: Vocabulary, readings: Sequence[Reading]) -> Placement | None:
    """A new word spelled like one of our drugs' names ("gabapentn"): a misspelling to add."""
    names = vocab.drug_name_list
    for word in dict.fromkeys(w for r in readings for w in r.new):
        found = process.extractOne(
            word, [n for n, _ in names], scorer=fuzz.ratio, score_cutoff=NAME_SCORE
        )
        if found is not None:
            name, drug_id = names[found[2]]
            drug = vocab.knowledge.drugs[drug_id]
            target = Target(
                "misspelling", drug_id, f"misspelling of {drug.name}", vocab.drug_file(drug_id)
            )
            return Placement(target, word, f'spelled like "{name}"', (name,), found[1])
    return None


def _picked(vocab: Vocabulary, label: str) -> Target | None:
    """The FAQ or drug topic a clarify button's label names."""
    wanted = normalise(label)
    for combination in vocab.knowledge.combinations.values():
        for faq in combination.faqs:
            if wanted in (
                normalise(faq.question),
                normalise(f"{combination.title}: {faq.question}"),
            ):
                return _faq_target(combination.id, faq.id, faq.question)
    _, _, topic_label = label.rpartition(":")
    for topic_id, topic in vocab.knowledge.topics.topics.items():
        if normalise(topic.label) == normalise(topic_label):
            return Target("topic", topic_id, f"topic: {topic.label}", TOPICS_FILE)
    return None


def _faq(vocab: Vocabulary, reading: Reading, content: str) -> Placement | None:
    """An FAQ, for a question about taking drugs together (two named, or a "together" word),
    or about no drug in particular, that shares more than filler words with it."""
    if not content or (len(reading.drugs) == 1 and "together" not in reading.cues):
        return None
    asked = set(content.split())
    best: tuple[float, FaqText] | None = None
    for text in vocab.faq_texts:
        if reading.drugs and not set(reading.drugs) <= text.drugs:
            continue
        if not (asked & set(text.reduced.split())) - vocab.filler:
            continue
        score = fuzz.token_set_ratio(content, text.reduced)
        if score >= FAQ_SCORE and (best is None or score > best[0]):
            best = (score, text)
    if best is None:
        return None
    score, text = best
    shared = tuple(sorted((asked & set(text.reduced.split())) - vocab.filler))
    target = _faq_target(text.combination, text.faq, text.question)
    return Placement(target, content, f'like the phrasing "{text.reduced}"', shared, score)


def _faq_target(combination_id: str, faq_id: str, question: str) -> Target:
    file = f"combinations/{combination_id}.yaml"
    return Target("faq", f"{combination_id}#{faq_id}", f"FAQ: {question}", file)


def _listed_item(
    vocab: Vocabulary, reading: Reading, phrase: str, drugs: Sequence[str]
) -> Placement | None:
    """A lay term for an item the drug lists, when the new words spell one of a term's lay
    phrasings, or share words with the item."""
    if not phrase:
        return None
    spelled = process.extractOne(
        phrase, [n for _, _, n in vocab.said], scorer=fuzz.ratio, score_cutoff=TERM_SCORE
    )
    if spelled is not None:
        term_id, said, _ = vocab.said[spelled[2]]
        evidence = f'spelled like "{said}"'
        return Placement(_term(vocab, term_id), phrase, evidence, (said,), spelled[1])
    asked = {reading.tokens[i] for i in reading.leftover} - vocab.filler
    best: tuple[int, ListedItem] | None = None
    for drug_id in drugs or list(vocab.items):
        for listed in vocab.items.get(drug_id, ()):
            common = asked & listed.words
            if common and (best is None or len(common) > best[0]):
                best = (len(common), listed)
    if best is None:
        return None
    item = best[1]
    phrase = " ".join(reading.run(keep=item.words)) or phrase  # with the item's word
    shared = tuple(sorted(asked & item.words))
    evidence = f'shares words with the listed "{item.item}"'
    for term in vocab.knowledge.terms.terms:
        if any(set(words(listed)) <= item.words for listed in term.listed):
            return Placement(_term(vocab, term.id), phrase, evidence, shared)
    term_id = "-".join(words(item.item))[:40].strip("-")
    target = Target("new_term", term_id, f"new lay term for: {item.item}", TERMS_FILE, item.item)
    return Placement(target, phrase, evidence, shared)


def _term(vocab: Vocabulary, term_id: str) -> Target:
    term = next(t for t in vocab.knowledge.terms.terms if t.id == term_id)
    return Target("term", term.id, f"lay term: {term.label}", TERMS_FILE)


def _cue_topic(
    vocab: Vocabulary, reading: Reading, phrase: str, drugs: Sequence[str]
) -> Placement | None:
    if not phrase or not reading.cue_topics or not drugs:
        return None
    topic_id = reading.cue_topics[0]
    topic = vocab.knowledge.topics.topics[topic_id]
    names = " / ".join(vocab.knowledge.drugs[d].name for d in drugs)
    target = Target("topic", topic_id, f"topic: {topic.label} (of any drug)", TOPICS_FILE)
    evidence = f"asks whether {names} does it (a {topic.label.lower()} cue)"
    return Placement(target, phrase, evidence)


def _uncovered(vocab: Vocabulary, phrase: str, drugs: Sequence[str]) -> Placement | None:
    if not phrase:
        return None
    names = " / ".join(vocab.knowledge.drugs[d].name for d in drugs)
    about = f" ({names})" if names else ""
    target = Target("uncovered", "", f'not covered yet: "{phrase}"{about}', None)
    return Placement(target, phrase, "no entry uses these words")
