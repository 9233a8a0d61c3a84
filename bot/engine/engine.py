"""The answer engine: a question in, a :class:`~bot.engine.replies.Reply` out. Knows nothing
of Discord, storage or the runtime.

    question -> triage (safety)  -> Emergency / Dosing decision, or:
             -> read    (:mod:`bot.engine.reading`: drugs, topics, terms, cues; a plain value)
             -> decide  (:mod:`bot.engine.decide`: a typed decision, ids and scores, no text)
             -> render  (:mod:`bot.engine.render`: the Reply, every word from the knowledge)
"""

from __future__ import annotations

from dataclasses import replace

from bot.engine.amounts import Amounts
from bot.engine.choosing import ChoicePicker
from bot.engine.decide import Decider
from bot.engine.decisions import (
    ANSWERS,
    Both,
    Clarify,
    Decision,
    Dosing,
    Emergency,
    InvalidChoice,
    Overview,
    TopicChoice,
    Uncovered,
)
from bot.engine.faqs import FaqIndex
from bot.engine.followups import FollowUps
from bot.engine.reading import Analysis, Lexicon
from bot.engine.render import DEFAULT_EMERGENCY_NUMBERS, Renderer
from bot.engine.replies import Context, Reply, Suggestion
from bot.engine.sentences import asking_part
from bot.engine.suggest import Suggester
from bot.engine.triage import MAX_CHECKED, NOTHING, Assessment, Concern, Triage
from bot.knowledge.loading import KnowledgeBase


class Engine:
    """Load the knowledge once; answer any number of questions, deterministically."""

    def __init__(
        self, knowledge: KnowledgeBase, *, emergency_numbers: str = DEFAULT_EMERGENCY_NUMBERS
    ) -> None:
        self.knowledge = knowledge
        self.safety = Triage(knowledge)
        self.lexicon = Lexicon(knowledge)
        self.faqs = FaqIndex(knowledge, self.lexicon.faq_ignore)
        self.decider = Decider(knowledge, self.faqs)
        self.amounts = Amounts(knowledge)
        self.picker = ChoicePicker(knowledge)
        self.followups = FollowUps(knowledge, self.decider.reader.index.normaliser.stems)
        self.renderer = Renderer(knowledge, emergency_numbers)
        self.suggester = Suggester(knowledge, self.renderer.texts)

    def ask(
        self,
        question: str,
        context: Context | None = None,
        *,
        emergency_numbers: str | None = None,
    ) -> Reply:
        """Answer ``question``; ``context`` is the previous reply's, for follow-ups: the drugs
        and topic it spoke of, the choices it offered, the words it was asked.
        ``emergency_numbers`` replace the deployment's in an emergency reply (a server's own,
        or those of the asker's locale)."""
        choice_drugs = [choice.drug for choice in context.choices] if context else []
        number = self.picker.number(question, choice_drugs) if context and context.choices else None
        if context and number:
            if not 0 < int(number) <= len(context.choices):
                # Not one of the choices: say which are, and keep offering them.
                reply = self.renderer.render(InvalidChoice(number, len(context.choices)))
                return replace(reply, suggestions=context.choices, context=context)
            question = context.choices[int(number) - 1].question
            context = replace(context, choices=())
        found = self.safety.assess(question[:MAX_CHECKED])
        decision, analysis = self._decide(question, context, found)
        reply = self.renderer.render(decision, emergency_numbers=emergency_numbers)
        about = reply.topic or "small_talk"
        kept = reply.kind == "fallback" and (about.startswith("small_talk") or about == "dosing")
        if context and kept and not reply.context.drugs:
            # Small talk, an off-topic remark or a dose asked of "it": the thread is kept.
            reply = replace(reply, context=replace(context, choices=()))
        if reply.topic == "unknown_drug" and analysis is not None:
            # What was asked of a drug we do not know is kept: "and amitriptyline?" asks it
            # again of one we know.
            names = tuple(m.text for m in analysis.others) or tuple(analysis.unknown)
            names = names or tuple(analysis.strange) or tuple(analysis.foreign)
            starts = [m.start for m in analysis.others]
            if analysis.named_at and starts and min(starts) > analysis.named_at[0]:
                # "can i take ami with my ibuprofen": then "and with gabapentin?" replaces
                # the ibuprofen; after "tylenol with gaba", "and with ami?" keeps the tylenol
                names = ()
            asked = [t for t in analysis.topics if t in self.knowledge.topics.topics]
            said = reply.context
            topic = said.topic or (asked[0] if asked else None)
            term = said.term or (analysis.terms[0] if analysis.terms else None)
            reply = replace(reply, context=replace(said, unknown=names, topic=topic, term=term))
        if analysis is not None:
            reply = replace(reply, context=replace(reply.context, asked=tuple(analysis.content)))
        if reply.suggestions:
            reply = replace(reply, context=replace(reply.context, choices=reply.suggestions))
        if isinstance(decision, Clarify) and not reply.context.drugs:
            # "both" after "did you mean: 1. A: how it works 2. B: how it works"
            offered = [c for c in decision.choices if isinstance(c, TopicChoice)]
            drugs = tuple(dict.fromkeys(c.drug for c in offered))
            topic = offered[0].topic if len({c.topic for c in offered}) == 1 else None
            reply = replace(reply, context=replace(reply.context, drugs=drugs, topic=topic))
        if found is NOTHING:
            return reply
        return self.renderer.with_safety(reply, found, emergency_numbers)

    def concern(self, question: str) -> Concern | None:
        """The safety concern of ``question`` (emergency, guidance, dosing) or None, before any
        matching."""
        return self.safety.concern(question[:MAX_CHECKED])

    def decide(self, question: str, context: Context | None = None) -> Decision:
        """What :meth:`ask` would answer, as a decision."""
        return self._decide(question, context, self.safety.assess(question[:MAX_CHECKED]))[0]

    def _decide(
        self, question: str, context: Context | None, found: Assessment
    ) -> tuple[Decision, Analysis | None]:
        # Matching reads no further than the safety check does: past it, an emergency would
        # go unseen while a drug name was still answered.
        question = question[:MAX_CHECKED]
        if found.emergency:
            return Emergency(found.kind or "", found.signals, found.reply), None
        analysis = self.read(question, context)
        if self.amounts.judged(analysis) or self.amounts.asks_amount(analysis):
            # "is 900mg too much?", "what mg do people usually end up on?"
            return Dosing(tuple(analysis.drugs)), analysis
        if found.level == "dosing":
            # A dose mentioned as context ("on 300mg, what side effects?") is not a dosing
            # question when something else is asked.
            asks_else = analysis.topics or analysis.terms or analysis.uncovered
            told = self._dosing_told_not_asked(question)
            if not told and (not asks_else or self.amounts.asks_dose(analysis, self.safety)):
                return Dosing(tuple(analysis.drugs)), analysis
        decision = self.decider.decide(analysis)
        if analysis.second_at is not None and isinstance(decision, ANSWERS):
            decision = self._two_parts(analysis, context, decision)
        return decision, analysis

    def _dosing_told_not_asked(self, question: str) -> bool:
        """A routine told before the question ("I take ami at night and gaba in the morning.
        Why doctor give both?"): the sentence that asks is no dosing question."""
        asking = asking_part(question)
        return asking is not None and self.safety.concern(asking) != "dosing"

    def _two_parts(self, a: Analysis, context: Context | None, whole: Decision) -> Decision:
        """ "can i take gaba and ami together and will it make me sleepier?": each part
        decided alone, the second about the first's drugs; both answered when each part
        has an answer of its own."""
        at = a.second_at or 0
        about = Context(drugs=tuple(a.drugs)) if a.drugs else context
        first = self.decider.decide(self.read(" ".join(a.tokens[: at - 1]), about))
        after = self.read(" ".join(a.tokens[at:]), about)
        if a.together and len(a.drugs) > 1:  # "... together and will it make me sleepier?"
            after = replace(after, cues=after.cues | {"together"})
        second = self.decider.decide(after)
        # A part the pages do not cover ("can i drink on it and does it make you sleepy?")
        # is said, never dropped for the part they do.
        parts = (*ANSWERS, Uncovered)
        if isinstance(first, parts) and isinstance(second, parts) and first != second:
            return Both(first, second)
        return whole

    def read(self, question: str, context: Context | None = None) -> Analysis:
        analysis = self.lexicon.analyse(question)
        if context:
            # A context from before a reload may name a drug this knowledge no longer has.
            known = tuple(d for d in context.drugs if d in self.knowledge.drugs)
            resolved = self.followups.resolve(analysis, replace(context, drugs=known))
            if self.followups.repeats(analysis, resolved, context):
                # "same 2 questions for the other one": the last question, all of it, again
                again = self.lexicon.analyse(" ".join(context.asked))
                if again.second_at is not None:
                    return replace(again, drugs=resolved.drugs, cues=again.cues | resolved.cues)
            analysis = resolved
        return analysis

    @property
    def topics(self) -> dict[str, str]:
        """The declared topics, id -> label, in their order (for commands and menus)."""
        return {t: topic.label for t, topic in self.knowledge.topics.topics.items()}

    def answer_topic(self, drug_id: str, topic: str) -> Reply:
        """One declared topic of one drug, or ``overview``; a fallback when it has no such
        section."""
        if topic == "overview":
            return self.renderer.render(Overview(drug_id))
        return self.renderer.render(self.decider.sections(drug_id, [topic]))

    def suggest(self, typed: str, limit: int = 25) -> list[Suggestion]:
        """Autocomplete: FAQ questions and "drug: topic" pairs that match what is typed."""
        return self.suggester.suggest(typed, limit)
