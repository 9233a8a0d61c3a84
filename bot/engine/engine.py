"""The answer engine: a question in, a :class:`~bot.replies.Reply` out. Knows nothing of Discord.

question -> safety -> analyse (drugs, topics, terms, cues) -> decide -> compose a Reply.
A wrong-drug answer is the worst outcome, so every uncertain path ends in clarify or fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.engine.faqs import FaqHit, FaqIndex
from bot.engine.reading import Analysis, Lexicon
from bot.engine.render import DEFAULT_EMERGENCY_NUMBERS, SECTION_TOPICS, Composer
from bot.engine.replies import Context, Reply, Suggestion
from bot.engine.triage import MAX_CHECKED, SafetyCheck
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.text import words

MARGIN = 8.0
"""The margin rule: answer an FAQ only when it leads the runner-up by this much."""
MAX_CHOICES = 5
SUGGEST_POOL = 200
"""Autocomplete ranks the best fuzzy candidates by how many typed words begin their words."""


class Engine:
    """Load the knowledge once; answer any number of questions, deterministically."""

    def __init__(
        self, knowledge: KnowledgeBase, *, emergency_numbers: str = DEFAULT_EMERGENCY_NUMBERS
    ) -> None:
        self.knowledge = knowledge
        self.safety = SafetyCheck(knowledge.safety)
        self.lexicon = Lexicon(knowledge)
        self.faqs = FaqIndex(knowledge, self.lexicon.faq_ignore)
        self.compose = Composer(knowledge, emergency_numbers)
        self._combos_by_drug: dict[str, list[str]] = {}
        for combination in knowledge.combinations.values():
            for drug in combination.drugs:
                self._combos_by_drug.setdefault(drug, []).append(combination.id)
        self._choices = self._autocomplete_choices()
        self._labels = [choice.label for choice in self._choices]
        self._choice_words = [words(label) for label in self._labels]

    # -- the public API -----------------------------------------------------------------------

    def ask(self, question: str, context: Context | None = None) -> Reply:
        """Answer ``question``; ``context`` is the previous reply's, for follow-ups."""
        # Matching reads no further than the safety check does: past it, an emergency would
        # go unseen while a drug name was still answered.
        question = question[:MAX_CHECKED]
        concern = self.safety.concern(question)
        if concern == "emergency":
            return self.compose.emergency()
        analysis = self.lexicon.analyse(question)
        if context:
            # A context from before a reload may name a drug this knowledge no longer has.
            known = tuple(d for d in context.drugs if d in self.knowledge.drugs)
            analysis = with_context(analysis, replace(context, drugs=known))
        if concern == "dosing":
            return self.compose.dosing(analysis.drugs)
        return self._decide(analysis)

    def answer_topic(self, drug_id: str, topic: str) -> Reply:
        """The section ``topic`` (usage, side_effects, how_it_works, overview) of one drug."""
        drug = self.knowledge.drugs[drug_id]
        if topic == "overview":
            return self.compose.overview(drug)
        return self.compose.sections(drug, [topic])

    def suggest(self, typed: str, limit: int = 25) -> list[Suggestion]:
        """Autocomplete: FAQ questions and "drug: topic" pairs that match what is typed.

        Typed words that begin words of a choice rank it first ("gaba side"); a choice that
        no typed word begins is ranked by fuzzy similarity, so typos still find something.
        """
        typed_words = words(typed)
        if not typed_words:
            return self._choices[:limit]
        candidates = process.extract(
            typed,
            self._labels,
            scorer=fuzz.WRatio,
            processor=default_process,
            score_cutoff=50,
            limit=SUGGEST_POOL,
        )
        ranked = sorted(
            (-self._prefixes(typed_words, index), -similarity, index)
            for _, similarity, index in candidates
        )
        return [self._choices[index] for _, _, index in ranked[:limit]]

    def _prefixes(self, typed_words: list[str], index: int) -> int:
        label_words = self._choice_words[index]
        return sum(any(w.startswith(t) for w in label_words) for t in typed_words)

    # -- deciding -------------------------------------------------------------------------------

    def _decide(self, a: Analysis) -> Reply:
        if a.others:
            names = list(dict.fromkeys(m.text for m in a.others))  # each name once
            if a.drugs:
                return self.compose.drug_with_unknown(names, a.drugs)
            return self.compose.unknown_drug(names)
        if a.near and not a.drugs:
            return self._near_miss(a)
        if not a.drugs:
            return self._no_drug(a)
        if len(a.drugs) > 1 or a.has("together"):
            return self._together(a)
        return self._one_drug(a, a.drugs[0])

    def _one_drug(self, a: Analysis, drug_id: str) -> Reply:
        drug = self.knowledge.drugs[drug_id]
        topics = [t for t in a.topics if t in SECTION_TOPICS]
        if "how_it_works" in topics:  # "how does it work for pain?" asks how, not whether
            return self.compose.sections(drug, topics)
        if a.terms:
            return self.compose.check(drug, a.terms[0], self._check_topic(a, [drug_id]))
        if topics:
            return self.compose.sections(drug, topics)
        if drug_id in a.classes:
            return self.compose.sections(drug, ["how_it_works"])
        hits = self.faqs.search(a.content, [drug_id])
        if hits:
            return self._faq_reply(hits)
        if a.leftover:
            return self.compose.unknown_topic([drug_id])
        return self.compose.overview(drug)

    def _together(self, a: Analysis) -> Reply:
        if a.terms and len(a.drugs) > 1 and not a.has("together"):
            # "what causes constipation, gabapentin or amitriptyline?": each one named
            return self.compose.reverse(a.terms[0], self._check_topic(a, a.drugs), a.drugs)
        combos = self._combinations_of(a.drugs)
        if not combos:
            if len(a.drugs) == 1:
                return self._one_drug(a, a.drugs[0])
            return self._each_drug(a)
        hits = self.faqs.search(a.content, a.drugs) or self._faqs_on_topic(a)
        if hits:
            return self._faq_reply(hits)
        if len(combos) > 1:
            return self.compose.clarify([self._combination_choice(c) for c in combos], score=50)
        return self.compose.combination(self.knowledge.combinations[combos[0]])

    def _faqs_on_topic(self, a: Analysis) -> list[FaqHit]:
        """FAQs about the question's topic ("risks of taking both" -> the side-effects FAQ)."""
        topics = [t for t in a.topics if t in SECTION_TOPICS]
        if a.terms:
            topics.insert(0, self._check_topic(a, a.drugs))
        if not topics:
            return []
        return self.faqs.search(words(self.compose.topic_label(topics[0])), a.drugs)

    def _each_drug(self, a: Analysis) -> Reply:
        """Several drugs with no combination page: never imply the pair is safe."""
        topics = [t for t in a.topics if t in SECTION_TOPICS]
        if a.has("together") or not topics:
            return self.compose.unknown_pair(a.drugs)
        choices = [self._topic_choice(d, t) for d in a.drugs for t in topics]
        return self.compose.clarify(choices, score=50)

    def _no_drug(self, a: Analysis) -> Reply:
        if a.terms and a.has("which"):
            every = list(self.knowledge.drugs)
            return self.compose.reverse(a.terms[0], self._check_topic(a, every), every)
        if a.unknown:
            # "why take vicodin?" resembles an FAQ, but is about something we do not know.
            if len(a.unknown) == 1:
                return self.compose.unknown_drug(a.unknown)
            return self.compose.off_topic()
        topic = next((t for t in a.topics if t in SECTION_TOPICS), None)
        wants_section = topic and not a.has("together")
        hits = [] if wants_section else self.faqs.search(a.content)
        if hits:
            return self._faq_reply(hits)
        if topic and len(self.knowledge.drugs) <= MAX_CHOICES:
            choices = [self._topic_choice(d, topic) for d in self.knowledge.drugs]
            return self.compose.clarify(choices, score=50)
        if topic:
            return self.compose.no_drug_named(topic)
        return self.compose.off_topic()

    def _near_miss(self, a: Analysis) -> Reply:
        """A word like one of our drugs but not its name: ask, never assume."""
        topic = next((t for t in a.topics if t in SECTION_TOPICS), None)
        choices: list[Suggestion] = []
        for mention in a.near:
            drug_id = mention.near or ""
            choice = self._topic_choice(drug_id, topic) if topic else self._drug_choice(drug_id)
            if choice not in choices:
                choices.append(choice)
        word = a.near[0].text
        lead = f'I don\'t know "{word}".'
        return self.compose.clarify(choices, lead=lead, score=a.near[0].score)

    def _faq_reply(self, hits: Sequence[FaqHit]) -> Reply:
        best = hits[0]
        runner_up = hits[1].score if len(hits) > 1 else 0.0
        if best.score - runner_up >= MARGIN:
            return self.compose.faq(best.entry.combination, best.entry.faq.id, best.score)
        shown = hits[:MAX_CHOICES]
        several_pages = len({h.entry.combination.id for h in shown}) > 1
        choices = []
        for hit in shown:
            question = f"{hit.entry.combination.title}: {hit.entry.faq.question}"
            choices.append(
                Suggestion(question if several_pages else hit.entry.faq.question, question)
            )
        return self.compose.clarify(choices, score=best.score)

    def _check_topic(self, a: Analysis, drug_ids: Sequence[str]) -> str:
        """Side effect or use? The question's cue words decide; else where the term is listed."""
        if a.has("check:side_effects"):
            return "side_effects"
        if a.has("check:usage") or "usage" in a.topics:
            return "usage"
        if "side_effects" in a.topics:
            return "side_effects"
        if self.compose.listed_for(a.terms[0], "usage", drug_ids):
            return "usage"
        return "side_effects"

    def _combinations_of(self, drugs: Sequence[str]) -> list[str]:
        sets = [set(self._combos_by_drug.get(d, ())) for d in drugs]
        return sorted(set.intersection(*sets)) if sets else []

    # -- choices for clarify and autocomplete ---------------------------------------------------

    def _topic_choice(self, drug_id: str, topic: str) -> Suggestion:
        name = self.knowledge.drugs[drug_id].name
        label = f"{name}: {self.compose.topic_label(topic)}"
        return Suggestion(label, label)

    def _drug_choice(self, drug_id: str) -> Suggestion:
        name = self.knowledge.drugs[drug_id].name
        return Suggestion(name, name)

    def _combination_choice(self, combination_id: str) -> Suggestion:
        title = self.knowledge.combinations[combination_id].title
        return Suggestion(title, title)

    def _autocomplete_choices(self) -> list[Suggestion]:
        choices = [
            self._topic_choice(drug_id, topic)
            for drug_id in self.knowledge.drugs
            for topic in SECTION_TOPICS
        ]
        for combination in self.knowledge.combinations.values():
            for faq in combination.faqs:
                question = f"{combination.title}: {faq.question}"
                choices.append(Suggestion(faq.question[:100], question[:100]))
        return choices


def with_context(a: Analysis, context: Context) -> Analysis:
    """Fill in what a follow-up leaves out: the drug ("and how does it work?") or the topic
    ("what about amitriptyline?")."""
    asks_something = bool(a.topics or a.terms or a.has("follow_up"))
    if not a.drugs and not a.others and not a.near and context.drugs and asks_something:
        return replace(a, drugs=list(context.drugs))
    follows_up = a.drugs and not (a.topics or a.terms) and a.has("follow_up")
    if follows_up and context.topic in SECTION_TOPICS:
        terms = [context.term] if context.term else []
        return replace(a, topics=[context.topic or ""], terms=terms)
    return a
