"""The triage: build the readers from the knowledge once, then assess any message."""

from __future__ import annotations

from bot.engine.triage.assessment import NOTHING, Assessment
from bot.engine.triage.features import features
from bot.engine.triage.joining import Joiner
from bot.engine.triage.mending import Mender, english_words
from bot.engine.triage.model import danger
from bot.engine.triage.rules import apply_masks, first_rule
from bot.engine.triage.second_opinion import SecondOpinion
from bot.engine.triage.signals import SignalFinder, Span
from bot.engine.triage.tokens import Token, tokenise
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.phrases import parse_phrase
from bot.knowledge.safety_schema import SafetyLevel, SafetyRule
from bot.knowledge.text import words
from bot.knowledge.triage_model import NO_DANGER

UNITS = "unit"
"""The class of words that make a number a strength or a time, not a count ("300 mg")."""
OURS = frozenset({"drug", "ours"})
OTHER = frozenset({"drug", "other_drug"})
OVER_MAX = frozenset({"over_max"})
MILLIGRAMS = "milligram"
"""The class of unit words that mean milligrams, for :attr:`SafetyFile.maximum_doses`."""
NONE: frozenset[str] = frozenset()
ASKS_CAUSE = "asks_cause"
"""A question without its mark ("could it be the folic acid"): see ``safety.yaml``."""
MIN_SHORT = 3
"""Letters a shortened drug name keeps at least ("ami")."""


class Triage:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        safety = knowledge.safety
        self.safety = safety
        classes = {name: frozenset(members) for name, members in safety.classes.items()}
        self._numbers = dict(safety.numbers)
        self._breaks = frozenset(w.casefold() for w in safety.breaks)
        self._symbols = {k: v.casefold() for k, v in safety.symbols.items()}
        self._shorthand = {
            k.casefold(): v.casefold()
            for k, v in (*safety.shorthand.items(), *safety.translations.items())
        }
        self._finder = SignalFinder(safety.signals, classes, classes.get(UNITS, NONE))
        self._ours = frozenset(_drug_words(knowledge))
        # "gaba", "ami": the beginnings people write for our drugs, not English words
        # ("met" of "metformin"); worked out here, so asking never loads the word list.
        self._short = frozenset(
            word[:end] for word in self._ours for end in range(MIN_SHORT, len(word) - 1)
        ).difference(english_words())
        self._others = frozenset(
            name for name in knowledge.reference_names if " " not in name and name.isalpha()
        )
        vocabulary = set(self._ours) | set(self._numbers)
        vocabulary |= {w for members in classes.values() for w in members}
        for phrases in safety.signals.values():
            for phrase in phrases:
                for elements in parse_phrase(phrase):
                    for element in elements:
                        vocabulary.update(element.words)
        known = _knowledge_words(knowledge)
        self._mender = Mender(vocabulary, known, _spellings(knowledge), self._others)
        self._joiner = Joiner(self._ours, self._others, _spellings(knowledge))
        self._milligrams = classes.get(MILLIGRAMS, NONE)
        self._maximum = _maximum_by_name(knowledge)
        model, use = knowledge.triage_model, safety.model
        self._opinion = SecondOpinion(model, use) if model and use else None
        self._calmer = [r for r in safety.rules if r.level != "emergency"]

    def concern(self, question: str) -> SafetyLevel | None:
        """The level alone: "emergency", "guidance", "dosing" or None."""
        return self.assess(question).level

    def features(self, question: str) -> set[str]:
        """What the learned model sees of ``question`` (for training it)."""
        return features(*self._read(question))

    def explain(self, question: str) -> list[tuple[str, str]]:
        """Every signal found, with its words, before and after masking: for maintainers."""
        tokens, found, kept = self._read(question)
        return [
            (span.category if span in kept else f"({span.category})", _words(tokens, span))
            for span in found
        ]

    def _read(self, question: str) -> tuple[list[Token], list[Span], list[Span]]:
        tokens = tokenise(question, self._numbers, self._breaks, self._symbols)
        tokens = [self._mended(t) for t in self._joiner.join(tokens)]
        drugs = self._over_maximum(tokens, [self._drug_classes(t.text) for t in tokens])
        found = self._finder.find(self._finder.words(tokens, drugs))
        return tokens, found, apply_masks(found, self.safety.masks)

    def assess(self, question: str) -> Assessment:
        """The rules decide, with the learned model as a second opinion (when the knowledge
        has one): it calls an emergency the rules missed (over a question about danger or
        doses the rules recognised only when very sure), and overrules a rule's emergency it
        finds very unlikely ("took my dog to the vet for his pills")."""
        tokens, found, kept = self._read(question)
        if not tokens:
            return NOTHING
        present = {span.category: span.start for span in reversed(kept)}
        sentences: list[set[str]] = [set() for _ in range(tokens[-1].sentence + 1)]
        for span in kept:
            sentences[span.sentence].add(span.category)
        rule = first_rule(self.safety.rules, present.keys(), sentences)
        opinion = self._opinion
        if opinion is not None:
            # The model is asked only where it may change the outcome (a hot path).
            emergency = rule is not None and rule.level == "emergency"
            if rule is not None and emergency and opinion.trusts(present.keys()):
                return self._ruled(rule, present)
            chances = opinion.chances(tokens, found, kept)
            if emergency and opinion.doubts(question, chances, tokens, found, kept):
                rule = first_rule(self._calmer, present.keys(), sentences)
            open_to = rule is None or rule.level != "emergency"
            # a question the rules recognised, or one the person marked ("is it only for
            # epilepsy??"): only a very sure model calls an emergency over it
            asked = (
                "?" in question
                or ASKS_CAUSE in present
                or (rule is not None and any(c in present for c in opinion.use.defer_to))
            )
            silenced = opinion.silenced(present.keys(), self.safety.masks)
            if open_to and not silenced and opinion.fires(chances, asked):
                return self._learned(chances, present)
        return NOTHING if rule is None else self._ruled(rule, present)

    @staticmethod
    def _ruled(rule: SafetyRule, present: dict[str, int]) -> Assessment:
        """A rule's assessment, with the signals that made it hold, in message order."""
        fired = [*rule.all, *(c for c in rule.any if c in present)]
        signals = tuple(sorted(dict.fromkeys(fired), key=lambda c: present[c]))
        return Assessment(rule.level, rule.kind, rule.reply or rule.kind, signals)

    def _learned(self, chances: dict[str, float], present: dict[str, int]) -> Assessment:
        """The model's emergency: its likeliest kind, with the reply a rule of that kind
        would choose from the signals found ("pet" when a pet is named)."""
        kind = max((c for c in chances if c != NO_DANGER), key=chances.__getitem__)
        found = tuple(sorted(present, key=present.__getitem__))
        why = (*found, f"model {danger(chances):.2f}")
        return Assessment("emergency", kind, self._reply(kind, present), why)

    def _reply(self, kind: str, present: dict[str, int]) -> str:
        """The reply of the emergency rule of ``kind`` that needs most of what was found."""
        rules: list[SafetyRule] = [
            r for r in self.safety.rules if r.kind == kind and r.level == "emergency"
        ]
        if not rules:
            return kind
        best = max(rules, key=lambda r: sum(c in present for c in r.all))
        return best.reply or best.kind

    def _over_maximum(
        self, tokens: list[Token], classes: list[frozenset[str]]
    ) -> list[frozenset[str]]:
        """Mark "1800 mg" as ``over_max`` where a drug of its sentence (or, in a sentence
        naming none, of the message: "took my gabapentin. at 4000mg by now") allows less."""
        limits: dict[int, float] = {}
        for token in tokens:
            limit = self._maximum.get(token.text)
            if limit is not None:
                limits[token.sentence] = min(limit, limits.get(token.sentence, limit))
        if not limits:
            return classes
        anywhere = max(limits.values())
        marked = list(classes)
        for index, token in enumerate(tokens[:-1]):
            limit = limits.get(token.sentence, anywhere)
            in_milligrams = tokens[index + 1].text in self._milligrams
            if limit is not None and in_milligrams and (token.value or 0) > limit:
                marked[index] = classes[index] | OVER_MAX
        return marked

    def _mended(self, token: Token) -> Token:
        text = self._shorthand.get(token.text) or self._mender.mend(token.text)
        if text == token.text:
            return token
        value = self._numbers.get(text)  # "fourty" is forty
        return Token(text, token.sentence, float(value) if value is not None else token.value)

    def _drug_classes(self, word: str) -> frozenset[str]:
        """A drug's name, or its plural ("tramadols")."""
        for form in (word, word[:-1] if word.endswith("s") and len(word) > 4 else ""):
            if form in self._ours or form in self._short:
                return OURS
            if form in self._others:
                return OTHER
        return NONE


def _words(tokens: list[Token], span: Span) -> str:
    return " ".join(t.text for t in tokens[span.start : span.end])


def _drug_words(knowledge: KnowledgeBase) -> set[str]:
    """One-word names of the knowledge's drugs: names, generic names, brands, misspellings."""
    found: set[str] = set()
    for drug in knowledge.drugs.values():
        for name in (drug.name, drug.generic_name, *drug.brands, *drug.misspellings):
            found.update(words(name))
    return found


def _spellings(knowledge: KnowledgeBase) -> dict[str, str]:
    """Each one-word misspelling of a drug's name, to the name: one word, however spelled."""
    found: dict[str, str] = {}
    for drug in knowledge.drugs.values():
        name = words(drug.generic_name)
        if len(name) == 1:
            for spelling in drug.misspellings:
                found.update((w, name[0]) for w in words(spelling))
    return found


def _knowledge_words(knowledge: KnowledgeBase) -> set[str]:
    """Words the knowledge itself uses: real words, never typos to mend."""
    texts: list[str] = []
    for drug in knowledge.drugs.values():
        texts += drug.classes
        sections = drug.sections
        for section in (sections.usage, sections.side_effects):
            if section:
                texts += section.items
        if sections.how_it_works:
            texts.append(sections.how_it_works.text)
    for combination in knowledge.combinations.values():
        texts += [faq.question for faq in combination.faqs]
    return {w.replace("'", "") for text in texts for w in words(text)}


def _maximum_by_name(knowledge: KnowledgeBase) -> dict[str, float]:
    """Each one-word name of a drug with a maximum dose, to that maximum."""
    limits = {k.casefold(): v for k, v in knowledge.safety.maximum_doses.items()}
    found: dict[str, float] = {}
    for drug in knowledge.drugs.values():
        limit = limits.get(drug.id, limits.get(drug.generic_name.casefold()))
        if limit is not None:
            for name in (drug.name, drug.generic_name, *drug.brands, *drug.misspellings):
                found.update((word, limit) for word in words(name))
    for name, substance in knowledge.reference_names.items():
        limit = limits.get(substance)
        if limit is not None and " " not in name:
            found.setdefault(name, limit)
    return found
