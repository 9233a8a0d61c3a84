"""Suggestions from what members asked: which entry each group of questions belongs to.

The questions learned from are the unanswered (fallback) and unsure (clarify) ones, and the
answered ones members marked not helpful; the clarify choices members picked are evidence for
where their group belongs. Similar questions are grouped (:mod:`bot.insights.grouping`), each
group is placed (:mod:`bot.insights.targets`), and groups placed alike are merged, so "spacey"
asked about two drugs is one suggestion asked of both. Each suggestion has an id that stays the
same while the log and the knowledge do, for ``medfaq learn --accept ID``.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from bot.engine.engine import Engine
from bot.insights.grouping import cluster_questions, distinct_askers, wording
from bot.insights.targets import TERMS_FILE, Placement, Target, place
from bot.insights.vocabulary import Vocabulary
from bot.knowledge.loading import KnowledgeBase
from bot.runtime.store import Choice, Feedback, LoggedQuestion

NOT_HELPFUL = "not helpful"
GUESSED = "guessed"
SURE = 60.0
"""An answer scored below this was a guess ("spacey is not among the side effects listed"):
its words are still to be placed, so it is learned from."""
EXAMPLES = 5


@dataclass(frozen=True)
class Suggestion:
    id: str
    target: Target
    phrase: str
    evidence: str
    shared: tuple[str, ...]
    score: float
    count: int
    """Questions asked."""
    askers: int
    drugs: tuple[str, ...]
    sources: dict[str, int] = field(default_factory=dict)
    """How many of the questions were fallback, clarify or not helpful."""
    questions: tuple[str, ...] = ()
    """Different wordings asked, most frequent first (at most :data:`EXAMPLES`)."""

    @property
    def learnable(self) -> bool:
        """``medfaq learn`` can write it (a person must write a new topic or drug page)."""
        return self.target.file is not None and bool(self.phrase)


def suggest(
    questions: Sequence[LoggedQuestion],
    feedback: Sequence[Feedback],
    choices: Sequence[Choice],
    knowledge: KnowledgeBase,
    *,
    engine: Engine | None = None,
    limit: int = 0,
) -> list[Suggestion]:
    """Suggestions, most asked first, the first ``limit`` (0: all). With ``engine``, one whose
    questions it now answers (the knowledge has learned them since) is left out."""
    vocab = Vocabulary(knowledge)
    learning = _to_learn_from(questions, feedback)
    picks: dict[int, list[str]] = defaultdict(list)
    for choice in choices:
        picks[choice.question_id].append(choice.choice)
    placed: list[tuple[Placement, list[LoggedQuestion]]] = []
    for cluster in cluster_questions(list(learning)):
        asked = [q for q in cluster.questions if q.question]
        if not asked:
            continue
        texts = Counter(q.question or "" for q in asked)
        readings = [vocab.read(text) for text, _ in texts.most_common()]
        drugs = _drugs(asked, readings)
        picked = Counter(label for q in asked for label in picks.get(q.id, ()))
        placement = place(vocab, readings, drugs, picked) or _review(asked)
        if placement is not None:
            placed.append((placement, asked))
    merged: dict[tuple[str, str, str], list[tuple[Placement, list[LoggedQuestion]]]] = {}
    for placement, asked in _placed_alike(placed):
        key = (placement.target.kind, placement.target.key, placement.phrase)
        merged.setdefault(key, []).append((placement, asked))
    found = [_suggestion(parts, learning) for parts in merged.values()]
    found.sort(key=lambda s: (-s.count, not s.learnable, s.id))
    kept: list[Suggestion] = []
    for suggestion in found:  # asking the engine costs: only until ``limit`` are kept
        if engine is None or not _answered_now(engine, suggestion):
            kept.append(suggestion)
            if len(kept) == limit:
                break
    return kept


def _placed_alike(
    placed: list[tuple[Placement, list[LoggedQuestion]]],
) -> list[tuple[Placement, list[LoggedQuestion]]]:
    """A group with new words the knowledge does not place ("feeling spacey on gabapentin?")
    goes where another group with the same words was placed by its evidence ("does gabapentin
    make you spacey" asks about a side effect), the one asked most."""
    where: dict[str, tuple[int, Placement]] = {}
    for placement, asked in placed:
        if placement.target.file is not None and placement.target.kind != "faq":
            known = where.get(placement.phrase)
            if known is None or len(asked) > known[0]:
                where[placement.phrase] = (len(asked), placement)
    alike = []
    for placement, asked in placed:
        if placement.target.kind == "uncovered" and placement.phrase in where:
            other = where[placement.phrase][1]
            evidence = f'"{placement.phrase}" is asked that way elsewhere: {other.evidence}'
            placement = replace(other, evidence=evidence)
        alike.append((placement, asked))
    return alike


def _answered_now(engine: Engine, suggestion: Suggestion) -> bool:
    """Its questions were unanswered or unsure, and the engine answers its wordings now."""
    if NOT_HELPFUL in suggestion.sources:  # marked not helpful: answering is not enough
        return False
    replies = [engine.ask(q) for q in suggestion.questions]
    return all(r.kind == "answer" and r.score >= SURE for r in replies)


def _review(asked: Sequence[LoggedQuestion]) -> Placement | None:
    """Answers marked not helpful whose words all have a place: the answer itself needs a look."""
    entries = Counter(q.entry for q in asked if q.kind == "answer" and q.entry)
    if not entries:
        return None
    entry = entries.most_common(1)[0][0]
    target = Target("review", entry, f"review the answer {entry}", None)
    return Placement(target, "", "marked not helpful, though every word has a place")


def _to_learn_from(
    questions: Sequence[LoggedQuestion], feedback: Sequence[Feedback]
) -> dict[LoggedQuestion, str]:
    """Each question to learn from, with why: its kind, or "not helpful"."""
    votes: Counter[int] = Counter()
    for click in feedback:
        votes[click.question_id] += -1 if click.helpful else 1
    found: dict[LoggedQuestion, str] = {}
    for q in questions:
        if q.kind in ("fallback", "clarify"):
            found[q] = q.kind
        elif q.kind == "answer" and votes[q.id] > 0:
            found[q] = NOT_HELPFUL
        elif q.kind == "answer" and q.score < SURE:
            found[q] = GUESSED
    return found


def _drugs(asked: Sequence[LoggedQuestion], readings: Sequence[object]) -> list[str]:
    named = Counter(q.drug for q in asked if q.drug)
    for reading in readings:
        named.update(getattr(reading, "drugs", ()))
    return [drug for drug, _ in named.most_common()]


def _suggestion(
    parts: list[tuple[Placement, list[LoggedQuestion]]], why: dict[LoggedQuestion, str]
) -> Suggestion:
    placement = max(parts, key=lambda p: len(p[1]))[0]
    asked = [q for _, group in parts for q in group]
    texts = Counter(q.question or "" for q in asked)
    shown: dict[str, str] = {}  # wording -> the text asked that way most often
    for text, _ in texts.most_common():
        shown.setdefault(wording(text), text)
        if len(shown) == EXAMPLES:
            break
    drugs = Counter(q.drug for q in asked if q.drug)
    target = placement.target
    digest = hashlib.sha1(f"{target.kind}|{target.key}|{placement.phrase}".encode()).hexdigest()
    return Suggestion(
        id=digest[:6],
        target=target,
        phrase=placement.phrase,
        evidence=placement.evidence,
        shared=placement.shared,
        score=placement.score,
        count=len(asked),
        askers=distinct_askers(asked),
        drugs=tuple(d for d, _ in drugs.most_common()),
        sources=dict(Counter(why[q] for q in asked).most_common()),
        questions=tuple(shown.values()),
    )


def redirect(suggestion: Suggestion, term_id: str, knowledge: KnowledgeBase) -> Suggestion:
    """The same words as a lay term of ``term_id`` instead (a person knows what they mean)."""
    term = next((t for t in knowledge.terms.terms if t.id == term_id), None)
    if term is None:
        known = ", ".join(t.id for t in knowledge.terms.terms)
        raise KeyError(f"no lay term {term_id!r} in lexicon/terms.yaml; one of: {known}")
    target = Target("term", term.id, f"lay term: {term.label}", TERMS_FILE)
    return replace(suggestion, target=target, evidence=suggestion.evidence + "; redirected")
