"""A tiny knowledge base written into a temporary folder: invented drugs, a few lay terms, the
bundled messages, safety patterns, topics and words. Decision tables run on it, so the rules
are stated on knowledge that is not the bundled two drugs."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.knowledge.loading import bundled_knowledge_dir

DRUGS = {
    "zorvaline": """\
id: zorvaline
name: Zorvaline
generic_name: Zorvaline
brands: [Zorvex]
classes: [zorvoid]
sections:
  usage:
    lead: "Primarily used to treat:"
    items: [Depression]
  side_effects:
    lead: "Common side effects include:"
    items: [Dry mouth, Nausea]
  how_it_works:
    text: Zorvaline is a zorvoid that works on invented receptors.
""",
    "quintorex": """\
id: quintorex
name: Quintorex
generic_name: Quintorex
sections:
  usage:
    items: [Seizures (epilepsy)]
  side_effects:
    items: [Dizziness]
""",
    "melvasone": """\
id: melvasone
name: Melvasone
generic_name: Melvasone
sections:
  usage:
    items: [Depression]
""",
}

COMBINATION = """\
id: zorvaline-quintorex
title: Zorvaline + Quintorex
drugs: [zorvaline, quintorex]
about: Two invented medicines, sometimes taken together.
faqs:
  - id: stop-suddenly
    question: Can I stop taking these drugs suddenly?
    answer: No; taper off under supervision.
"""

TERMS = """\
terms:
  - {id: dizziness, label: Dizziness, listed: [dizziness], said: [dizzy, dizziness]}
  - {id: nausea, label: Nausea, listed: [nausea], said: [nausea, nauseous]}
  - {id: depression, label: Depression, listed: [depression], said: [depression]}
"""


def write_tiny(root: Path) -> Path:
    """The tiny knowledge in ``root``; returns ``root``."""
    bundled = bundled_knowledge_dir()
    (root / "lexicon").mkdir(parents=True)
    (root / "drugs").mkdir()
    (root / "combinations").mkdir()
    (root / "reference").mkdir()
    for name in ("messages.yaml", "safety.yaml", "lexicon/topics.yaml", "lexicon/words.yaml"):
        shutil.copy(bundled / name, root / name)
    (root / "lexicon" / "terms.yaml").write_text(TERMS, encoding="utf-8")
    for drug_id, text in DRUGS.items():
        (root / "drugs" / f"{drug_id}.yaml").write_text(text, encoding="utf-8")
    combination = root / "combinations" / "zorvaline-quintorex.yaml"
    combination.write_text(COMBINATION, encoding="utf-8")
    names = root / "reference" / "drug-names.txt"
    names.write_text("vicodin\thydrocodone\n", encoding="utf-8")
    return root
