"""Follow-ups: filling in what a message leaves out from the conversation so far.

"and how does it work?" keeps the drug; "what about elavil?" keeps the topic; "the other
one" is the other drug of the combination just discussed; "both" is that drug and the other
one. A follow-up that names a drug we do not know never inherits the previous drug: that
would answer about the wrong drug.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.engine.drugs import DrugMention
from bot.engine.phrases import PhraseIndex
from bot.engine.reading import Analysis
from bot.engine.replies import Context
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.text import words

SHORT = 2
"""A message naming a drug with at most this many other telling words ("and for elavil?")
asks the previous question again about that drug."""


class FollowUps:
    def __init__(
        self, knowledge: KnowledgeBase, stems: Callable[[Sequence[str]], list[str]]
    ) -> None:
        """``stems``: a message's words as the knowledge index reads them (synonym groups
        folded to "=stop", "=safe" ...)."""
        self._stems = stems
        lists = knowledge.words
        self._topics = frozenset(knowledge.topics.topics)
        self._other = PhraseIndex((p, "other") for p in lists.other_one)
        self._both = PhraseIndex((p, "both") for p in lists.both)
        self._pointers = PhraseIndex((p, "it") for p in lists.pointers)
        self._with = PhraseIndex((p, "with") for p in lists.adding)
        said = (*lists.together, *lists.both, *lists.pointers, *lists.filler)
        self._plain = frozenset(w for p in said for w in words(p))
        """Words that only point at drugs or at taking them together ("the combo")."""
        self._partners: dict[str, list[str]] = {}
        for combination in knowledge.combinations.values():
            for drug in combination.drugs:
                partners = self._partners.setdefault(drug, [])
                partners += [d for d in combination.drugs if d != drug and d not in partners]

    def partner(self, drug: str) -> str | None:
        """The one other drug ``drug`` is combined with, if there is exactly one."""
        partners = self._partners.get(drug, [])
        return partners[0] if len(partners) == 1 else None

    def resolve(self, a: Analysis, context: Context) -> Analysis:
        if a.others or a.near or a.unknown:
            return a
        if a.foreign and not a.drugs and (a.has("follow_up") or len(a.leftover) <= SHORT):
            # "how about keppra", "and the co-dydramol?": a name no list knows is asked about
            # now; never the drug before (that would be a wrong-drug answer)
            return replace(a, unknown=list(a.foreign))
        tokens = a.content
        if a.has("which") and not (a.drugs or a.terms or a.topics or a.leftover) and context.term:
            # "which one does?" after "does it work for restless legs?": which of the drugs
            # has the item just asked about
            topics = [context.topic] if context.topic in self._topics else []
            return replace(a, terms=[context.term], topics=topics)
        if not a.drugs and context.unknown and not context.drugs:
            # "what about sertraline?" then "does it cause weight gain?": "it" is sertraline.
            if self._pointers.find(tokens) or self._asks_something(a):
                return replace(a, unknown=list(context.unknown))
            return a
        says_other = bool(self._other.find(tokens))
        says_both = bool(self._both.find(tokens))
        points = bool(self._pointers.find(tokens))
        drugs = list(a.drugs)
        inherited = False
        # "and which one ...?" asks about every drug again, not the one just found.
        if not drugs and context.drugs and not (a.has("which") and a.terms):
            single = context.drugs[0] if len(context.drugs) == 1 else None
            partner = self.partner(single) if single else None
            if says_other and partner:
                drugs = [partner]
            elif says_both and single and partner:
                drugs = [single, partner]
            elif says_both and not single:
                drugs = list(context.drugs)
            elif a.has("each") and single and partner and (points or a.yes_no is False):
                drugs = [single, partner]  # "how do they compare?": two are compared
            elif self._asks_something(a) or (points and not a.small_talk):
                drugs = list(context.drugs)
                inherited = True
        if not drugs:
            return a
        if says_both and len(drugs) == 1 and context.drugs and drugs[0] not in context.drugs:
            # "does the gaba add to it? i take both" after a question about amitriptyline:
            # both is the drug just discussed and the one named
            drugs = list(dict.fromkeys([*context.drugs, *drugs]))
            a = replace(a, cues=a.cues | {"together"})
        with_before = bool(
            a.drugs
            and context.drugs
            and not inherited
            and self._with.find(tokens)
            and len(a.leftover) <= SHORT
        )
        resolved = replace(a, drugs=drugs)
        asks_topic = a.topics or a.terms or a.uncovered or a.classes
        brief = len(a.leftover) <= SHORT
        again = not inherited and not asks_topic and (a.has("follow_up") or says_other or brief)
        renamed = with_before or (again and context.topic not in self._topics)
        if renamed and context.unknown and context.drugs and len(a.drugs) == 1:
            # "and with ami?" or "what about ami?" after "can i take tylenol with gaba": the
            # drug we do not know, with the one named now; never the pair we know, implied safe
            unknown = [DrugMention(0, 0, name, other=name) for name in context.unknown]
            return replace(a, others=unknown)
        if with_before:
            # "and with gabapentin?" after a question about amitriptyline: both of them,
            # taken together
            drugs = list(dict.fromkeys([*context.drugs, *drugs]))
            resolved = replace(a, drugs=drugs, cues=a.cues | {"together"})
        again = again and not with_before
        if inherited and a.together and not a.leftover and set(a.content) <= self._plain:
            # "the combo" after "did you mean: A's side effects, B's side effects?": the
            # combination's answer on that topic
            again = True
        if again and context.topic in self._topics:
            terms = [context.term] if context.term else []
            resolved = replace(resolved, topics=[context.topic or ""], terms=terms)
        elif context.asked and (again or with_before) and not self._asks_own(a):
            # "ok what about gabapentin with amitriptyline?" after "is tramadol ok with
            # gabapentin?", "what about elavil, same deal?" after "can I stop gabapentin
            # suddenly?": the same question, of these drugs (unless this one asks its own).
            resolved = replace(resolved, content=[*a.leftover, *context.asked])
        return resolved

    def repeats(self, a: Analysis, resolved: Analysis, context: Context) -> bool:
        """Does a follow-up ask the last question again of other drugs, saying nothing of
        its own ("same 2 questions for the other one", "and gabapentin?")?"""
        own = a.topics or a.terms or a.uncovered or a.classes or a.others or a.unknown
        moved = bool(resolved.drugs) and set(resolved.drugs) != set(context.drugs)
        return bool(context.asked) and moved and not own

    def _asks_own(self, a: Analysis) -> bool:
        """Does a follow-up ask a question of its own ("and is it ok to take it with X?"),
        rather than the previous one again ("what about elavil, same deal?")?"""
        return bool(a.leftover) or any(s.startswith("=") for s in self._stems(a.content))

    @staticmethod
    def _asks_something(a: Analysis) -> bool:
        if a.small_talk and not (a.terms or a.uncovered) and len(a.leftover) <= 1:
            return False
        return bool(
            a.topics
            or a.terms
            or a.uncovered
            or a.classes
            or a.has("follow_up")
            or a.has("check:side_effects")
            or a.has("check:usage")
            or a.together
        )
