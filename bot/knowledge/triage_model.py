"""``safety-model.tsv``: the weights of the triage's learned second opinion, as data.

The file is written by ``scripts/train_triage_model.py`` from the labelled safety corpora;
a knowledge directory without it triages by its rules alone. Its shape::

    # comments
    classes<TAB>none<TAB>overdose<TAB>...
    intercept<TAB>0.12<TAB>-0.3<TAB>...
    w:took<TAB>0.01<TAB>0.8<TAB>...

one row per feature, one weight per class (a multinomial logistic regression).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.safety_schema import SafetyFile
from bot.knowledge.yamlsource import Problem

NO_DANGER = "none"
"""The class of messages that are not an emergency."""
FINGERPRINT = "# vocabulary:"


@dataclass(frozen=True)
class TriageModelData:
    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, tuple[float, ...]] = field(default_factory=dict)


def load_triage_model(
    path: Path, kinds: tuple[str, ...], problems: list[Problem]
) -> TriageModelData | None:
    """The model of ``path``, or None (with ``problems``) when it cannot be read; ``kinds``
    are the emergency kinds its classes must cover."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path, 0, f"cannot read the model: {exc}; retrain it"))
        return None
    rows = [(n, line.split("\t")) for n, line in enumerate(lines, 1) if not line.startswith("#")]
    rows = [(n, cells) for n, cells in rows if cells != [""]]
    if len(rows) < 2 or rows[0][1][0] != "classes" or rows[1][1][0] != "intercept":
        problems.append(
            Problem(path, 1, "expected a 'classes' row and an 'intercept' row first; retrain it")
        )
        return None
    classes = tuple(rows[0][1][1:])
    missing = [c for c in (NO_DANGER, *kinds) if c not in classes]
    if missing:
        problems.append(
            Problem(path, rows[0][0], f"classes lack {', '.join(missing)}; retrain the model")
        )
        return None
    numbers: list[tuple[str, tuple[float, ...]]] = []
    for line, (name, *values) in rows[1:]:
        try:
            weights = tuple(float(v) for v in values)
        except ValueError:
            weights = ()
        if len(weights) != len(classes):
            problems.append(
                Problem(path, line, f"expected {len(classes)} numbers after '{name}'; retrain it")
            )
            return None
        numbers.append((name, weights))
    return TriageModelData(classes, numbers[0][1], dict(numbers[1:]))


def write_triage_model(path: Path, model: TriageModelData, header: list[str]) -> None:
    """Write ``model`` in the shape :func:`load_triage_model` reads, ``header`` as comments."""
    rows = [f"# {line}" for line in header]
    rows.append("\t".join(("classes", *model.classes)))
    rows.append("\t".join(("intercept", *(f"{w:.4f}" for w in model.intercepts))))
    rows += ["\t".join((name, *(f"{w:.4f}" for w in ws))) for name, ws in model.weights.items()]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def vocabulary_fingerprint(safety: SafetyFile) -> str:
    """A hash of what the model's features depend on in ``safety.yaml``: a model trained
    under another fingerprint reads messages differently and should be retrained."""
    parts = {
        "numbers": safety.numbers,
        "shorthand": safety.shorthand,
        "translations": safety.translations,
        "symbols": safety.symbols,
        "breaks": safety.breaks,
        "classes": safety.classes,
        "signals": safety.signals,
        "masks": {k: v.model_dump() for k, v in safety.masks.items()},
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def recorded_fingerprint(path: Path) -> str | None:
    """The fingerprint a model file was trained under (its ``# vocabulary:`` comment)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            return None
        if line.startswith(FINGERPRINT):
            return line.removeprefix(FINGERPRINT).strip()
    return None
