"""Finding drug names in a question: ours, other drugs we know only by name, and near misses.

A word is only taken for one of our drugs when it is one of its names (generic, brand,
listed misspelling, or a reference name of the same substance), or a typo clearly closer to
one of its names than to any other drug's name. "nortriptyline" is another drug's exact name,
so it is never read as amitriptyline; a word that is merely similar is a near miss, answered
with "did you mean?".
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.engine.namesearch import LETTER_INDEX_MIN, WordList
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.text import normalise, words

MAX_NAME_WORDS = 3
TYPO_SCORE = 85.0
"""A word this similar to one of our names (rapidfuzz ratio) is a typo of it..."""
NEAR_SCORE = 72.0
"""...and this similar, a near miss worth asking about."""
MIN_FUZZY_LENGTH = 5
OTHER_SCORE = 88.0
"""A word this similar to another drug's name is taken for a typo of it..."""
MIN_OTHER_LENGTH = 7
"""...when it is this long: shorter words resemble too many names."""
MIN_JOINED = 7
"""Words joined into one of our names are at least this long together ("neuron tin")."""
MIN_PLURAL_NAME = 6
"""Letters a name needs before its plural is read as the name ("lyricas" is Lyrica)."""
MIN_PREFIX = 4
"""Letters of the start of one of our names written alone ("traz", "neuro"): a shortening
worth asking about when only that drug's names start so."""
RIVAL_MARGIN = 3.0
"""A typo barely closer to another drug than to ours ("neurotonin": neurotensin by 1.5) is
too close to call: ask whether ours was meant, never answer."""
MEMO_SIZE = 50_000
"""Words whose fuzzy look-up is remembered: people use the same words again and again."""


@dataclass(frozen=True)
class DrugMention:
    start: int
    end: int
    text: str
    drug: str | None = None
    """One of our drug ids, when the words name it."""
    other: str | None = None
    """The substance of a drug we do not cover."""
    near: str | None = None
    """One of our drug ids that the words resemble, without being its name."""
    score: float = 100.0


class DrugFinder:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        ours: dict[str, str] = {}
        generic = {}
        for drug in knowledge.drugs.values():
            generic[normalise(drug.generic_name)] = drug.id
            # "Levothyroxine sodium" is levothyroxine: the reference list names the substance
            generic.setdefault(normalise(drug.name), drug.id)
            names = (drug.name, drug.generic_name, *drug.brands, *drug.misspellings)
            for name in (*names, *drug.abbreviations):
                ours.setdefault(normalise(name), drug.id)
        others: dict[str, str] = {}
        forms: dict[str, str] = {}
        own_words = self.own_words = words_of_the_knowledge(knowledge)
        for name, substance in knowledge.reference_names.items():
            if substance in generic:
                ours.setdefault(name, generic[substance])
            elif name in ours or name in own_words:
                continue
            elif substance.partition(" ")[0] in generic:
                # Another form of one of ours (an ester, a salt or prodrug: "gabapentin
                # enacarbil", sold as Horizant): close, but not the page's drug, so ask.
                forms[name] = generic[substance.partition(" ")[0]]
            else:
                others[name] = substance
        self.ours = ours
        self.others = others
        self.forms = forms
        primary = {normalise(d.name) for d in knowledge.drugs.values()} | set(generic)
        misspelt = {normalise(m) for d in knowledge.drugs.values() for m in d.misspellings}
        self._primary_names = frozenset(primary | misspelt)
        # In buckets by length: a typo is only compared with names of about its length.
        self._primary = WordList((n for n in primary if " " not in n), LETTER_INDEX_MIN)
        self._one_word_ours = WordList((n for n in ours if " " not in n), LETTER_INDEX_MIN)
        self._one_word_others = WordList((n for n in others if " " not in n), LETTER_INDEX_MIN)
        self._sorted_ours = sorted(n for n in ours if " " not in n)
        self._memo: dict[str, DrugMention | None] = {}
        self._resembling: dict[str, bool] = {}

    def find(self, tokens: Sequence[str], ordinary: frozenset[str]) -> list[DrugMention]:
        """Mentions in order; ``ordinary`` words (the lexicon's) are never fuzzy-matched."""
        mentions: list[DrugMention] = []
        position = 0
        while position < len(tokens):
            mention = self._exact_at(tokens, position, ordinary) or self._fuzzy_at(
                tokens, position, ordinary
            )
            if mention is None:
                position += 1
                continue
            mentions.append(mention)
            position = mention.end
        return mentions

    def _exact_at(
        self, tokens: Sequence[str], start: int, ordinary: frozenset[str] = frozenset()
    ) -> DrugMention | None:
        """Our names, other drugs' names (not a word of the lexicon: "ache" is no AChE), and
        our names split in words."""
        for length in range(min(MAX_NAME_WORDS, len(tokens) - start), 0, -1):
            parts = tokens[start : start + length]
            text = " ".join(parts)
            if text in self.ours:
                return DrugMention(start, start + length, text, drug=self.ours[text])
            if text in self.others and text not in ordinary:
                return DrugMention(start, start + length, text, other=self.others[text])
            if text in self.forms and text not in ordinary:
                return DrugMention(start, start + length, text, near=self.forms[text])
            # A name split by voice-to-text or a slip ("neuron tin", "tram a doll")
            joined = "".join(parts)
            split = length > 1 and len(joined) >= MIN_JOINED and all(w.isalpha() for w in parts)
            if split and joined in self.ours:
                return DrugMention(start, start + length, text, drug=self.ours[joined])
            named = any(
                len(w) >= MIN_JOINED and (w in self.ours or w in self.others) for w in parts
            )
            if split and not named and not all(w in ordinary for w in parts):
                # "gabby pentin": a split name with a slip; never of words all ordinary, nor
                # a name with a word after it ("amitriptyline uses")
                typo = self._primary.best_ratio(joined, TYPO_SCORE)
                if typo is not None and self._one_word_others.best_ratio(joined, typo[1]) is None:
                    return DrugMention(start, start + length, text, drug=self.ours[typo[0]])
            # words of the lexicon never join into a name: "stars is" is no "starsis"
            if split and joined in self.others and not any(w in ordinary for w in parts):
                return DrugMention(start, start + length, text, other=self.others[joined])
        # A name with an "s" for a plural or a possessive written without its apostrophe
        # ("lyricas side effects", "my gabapentins")
        word = tokens[start]
        long_enough = len(word) > MIN_PLURAL_NAME  # "stars" is no plural of a drug "star"
        bare = word[:-1] if long_enough and word.endswith("s") and word not in ordinary else ""
        if bare in self.ours:
            return DrugMention(start, start + 1, word, drug=self.ours[bare])
        if bare in self.others and bare not in ordinary:
            return DrugMention(start, start + 1, word, other=self.others[bare])
        return None

    def _fuzzy_at(
        self, tokens: Sequence[str], start: int, ordinary: frozenset[str]
    ) -> DrugMention | None:
        word = tokens[start]
        if len(word) < MIN_PREFIX or word in ordinary or not word.isalpha():
            return None
        if word in self.own_words:  # spelled as our pages spell it: not a typo of anything
            return None
        if len(word) < MIN_FUZZY_LENGTH:
            shortened = self._shortening_of(word)
            return None if shortened is None else replace(shortened, start=start, end=start + 1)
        if word in self._memo:
            found = self._memo[word]
        else:
            found = self._fuzzy(word)
            if len(self._memo) < MEMO_SIZE:
                self._memo[word] = found
        return None if found is None else replace(found, start=start, end=start + 1)

    def resembles_other(self, word: str) -> bool:
        """Is ``word`` a typo of a drug we do not cover ("vicodine")? Only long words, and
        only very close: any other unknown word is just a word."""
        if len(word) < MIN_OTHER_LENGTH or word in self.own_words:
            return False
        found = self._resembling.get(word)
        if found is None:
            found = self._one_word_others.best_ratio(word, OTHER_SCORE) is not None
            if len(self._resembling) < MEMO_SIZE:
                self._resembling[word] = found
        return found

    def resembles_ours(self, word: str) -> bool:
        """Is ``word`` like any of our names, brands included ("elavel")?"""
        return self._one_word_ours.best_ratio(word, NEAR_SCORE) is not None

    def _shortening_of(self, word: str) -> DrugMention | None:
        """One of ours when only its names start with ``word`` ("traz": trazodone)."""
        at = bisect_left(self._sorted_ours, word)
        drugs = set()
        for name in self._sorted_ours[at:]:
            if not name.startswith(word):
                break
            drugs.add(self.ours[name])
        if len(drugs) != 1 or word in self.others:
            return None
        return DrugMention(0, 1, word, near=drugs.pop(), score=NEAR_SCORE)

    def _fuzzy(self, word: str) -> DrugMention | None:
        """What one word (not a known name) resembles, as a mention at position 0."""
        start = 0
        best = self._one_word_ours.best_ratio(word, NEAR_SCORE)
        if best is None:
            return self._shortening_of(word)
        name, score = best
        rival = self._one_word_others.best_ratio(word, score)
        if rival is not None and rival[1] - score < RIVAL_MARGIN and score >= TYPO_SCORE - 1:
            # as close to ours as to another drug: ask, do not answer either
            return DrugMention(start, start + 1, word, near=self.ours[name], score=score)
        if rival is not None:
            # Closer to (or as close to) a drug we do not cover: never correct it into ours.
            return DrugMention(start, start + 1, word, other=self.others[rival[0]], score=rival[1])
        if score >= TYPO_SCORE and name in self._primary_names:
            return DrugMention(start, start + 1, word, drug=self.ours[name], score=score)
        if score >= TYPO_SCORE:
            # A typo of a brand or other short name ("nuerontin"): close, but ask.
            return DrugMention(start, start + 1, word, near=self.ours[name], score=score)
        # Near misses are judged against the main names only: brand names are short and
        # resemble too many words ("raise" is not a near miss of "Gralise").
        near = self._primary.best_ratio(word, NEAR_SCORE)
        if near is None:
            return None
        return DrugMention(start, start + 1, word, near=self.ours[near[0]], score=near[1])


def words_of_the_knowledge(knowledge: KnowledgeBase) -> set[str]:
    """Words our own pages use ("serotonin", "norepinephrine"): the reference list has them
    as substances, but a question using them is about what the page says, not another drug."""
    texts: list[str] = []
    for drug in knowledge.drugs.values():
        texts.append(drug.generic_name)  # "Codeine (given as codeine phosphate ...)"
        sections = drug.sections
        for listed in (sections.usage, sections.side_effects):
            if listed:
                texts += listed.items
        if sections.how_it_works:
            texts.append(sections.how_it_works.text)
    for combination in knowledge.combinations.values():
        texts += [combination.about or "", combination.combined_use or ""]
        texts += [text for faq in combination.faqs for text in (faq.question, faq.answer)]
    return {word for text in texts for word in words(text)}
