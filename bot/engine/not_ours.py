"""Questions about a drug we do not know: never answered with one of ours.

A name from the reference list ("tylenol"), a near miss of another drug's name ("vicodine"),
or a word no list knows, asked about ("does co-codamol ...", "side effects of co-codamol?")
or joined to one of ours ("co-codamol and gabapentin together ok?") is a fallback that names
it; an unknown pair is never implied to be safe.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.engine.analysis import Analysis
from bot.engine.decisions import Decision, Fallback


def named_not_ours(a: Analysis) -> Decision | None:
    """A drug we do not know, named alone or with ours."""
    if a.others:
        names = tuple(dict.fromkeys(m.text for m in a.others))  # each name once
        if a.drugs:
            return Fallback("drug_with_unknown", drugs=tuple(a.drugs), names=names)
        return Fallback("unknown_drug", names=names)
    if a.paired and a.together:
        # "co-codamol and gabapentin together ok?": a name no list knows, taken with ours
        return Fallback("drug_with_unknown", drugs=tuple(a.drugs), names=tuple(a.paired))
    return None


def asked_of_no_drug_of_ours(a: Analysis, topics: Collection[str]) -> Decision | None:
    """With none of our drugs named: the words that look like another drug's name."""
    if a.unknown:
        # "why take vicodin?" resembles an FAQ, but is about something we do not know.
        if len(a.unknown) == 1:
            return Fallback("unknown_drug", names=tuple(a.unknown))
        return Fallback("off_topic")
    if a.strange and a.yes_no and not a.has("which"):
        # "does co-codamol make you constipated?": the one it asks about is no drug of
        # ours, not every drug
        return Fallback("unknown_drug", names=tuple(a.strange))
    asks = a.has("overview") or any(t in topics for t in a.topics)
    if a.foreign and asks and not (a.terms or a.has("which") or a.small_talk):
        # "side effects of co-codamol?": a name no list knows is what is asked about
        return Fallback("unknown_drug", names=tuple(a.foreign))
    return None
