"""Load a knowledge directory into one validated, typed :class:`KnowledgeBase`.

Layout (one file per drug and per combination, so thousands of pages stay easy to edit)::

    messages.yaml            the bot's own words, the disclaimer
    safety.yaml              safety signals, rules and emergency replies, read before matching
    safety-model.tsv         optional: the triage's learned second opinion (weights)
    emergency-numbers.yaml   (optional) emergency numbers by the asker's Discord locale
    lexicon/topics.yaml      how people name each topic
    lexicon/terms.yaml       lay terms for side effects and conditions
    lexicon/words.yaml       filler words and cue words
    drugs/*.yaml             one drug each
    combinations/*.yaml      one combination page each, with its FAQs
    reference/drug-names.txt names of drugs in general (not answered, only recognised)

Every problem in every file is collected and raised together as a :class:`KnowledgeError`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from bot.knowledge.checks import (
    COMMON_WORDS,
    check_has_sections,
    check_names,
    everyday_words,
)
from bot.knowledge.consistency import check_combinations, check_drugs, check_messages
from bot.knowledge.explain import explain
from bot.knowledge.lexicon_schema import (
    ConversationFile,
    SynonymsFile,
    TermsFile,
    TopicsFile,
    WordsFile,
)
from bot.knowledge.safety_schema import REQUIRED_KINDS, SafetyFile
from bot.knowledge.safetycheck import check_safety
from bot.knowledge.schema import Combination, Drug, EmergencyNumbersFile, Messages
from bot.knowledge.sections import check_sections, check_topics
from bot.knowledge.triage_model import TriageModelData, load_triage_model
from bot.knowledge.yamlsource import KnowledgeError, Problem, YamlDocument, load_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)

REFERENCE_NAMES = Path("reference") / "drug-names.txt"
ENGLISH_WORDS = Path("reference") / "english-words.txt"
TRIAGE_MODEL = Path("safety-model.tsv")
NONE: frozenset[str] = frozenset()
TOPICS_FILE = Path("lexicon") / "topics.yaml"
EMERGENCY_NUMBERS = "emergency-numbers.yaml"


@dataclass
class KnowledgeBase:
    root: Path
    messages: Messages
    safety: SafetyFile
    topics: TopicsFile
    terms: TermsFile
    words: WordsFile
    drugs: dict[str, Drug] = field(default_factory=dict)
    combinations: dict[str, Combination] = field(default_factory=dict)
    synonyms: SynonymsFile = field(default_factory=SynonymsFile)
    conversation: ConversationFile = field(default_factory=ConversationFile)
    reference_names: dict[str, str] = field(default_factory=dict)
    """Other drugs' names (normalised) mapped to their substance, to recognise drugs we lack."""
    emergency_numbers: EmergencyNumbersFile = field(default_factory=EmergencyNumbersFile)
    common_words: frozenset[str] = frozenset()
    """Common English words, never "corrected" by the speller (reference/english-words.txt)."""
    triage_model: TriageModelData | None = None
    """The triage's learned second opinion (safety-model.tsv), when the directory has one."""

    @property
    def faq_count(self) -> int:
        return sum(len(c.faqs) for c in self.combinations.values())

    def summary(self) -> str:
        return (
            f"{len(self.drugs)} drugs, {len(self.combinations)} combinations, {self.faq_count} FAQs"
        )


def bundled_knowledge_dir() -> Path:
    """The knowledge shipped with the package: in the wheel, or beside ``bot/`` in a checkout."""
    packaged = Path(str(resources.files("bot"))) / "_knowledge"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "knowledge"


def load_knowledge(root: Path) -> KnowledgeBase:
    """Load and validate ``root``; raise :class:`KnowledgeError` listing every problem."""
    try:
        return _load_knowledge(root)
    except OSError as exc:  # a folder without the execute bit, say: its files cannot be seen
        where = Path(exc.filename) if exc.filename else root
        raise KnowledgeError(
            [
                Problem(
                    where,
                    0,
                    f"cannot read: {exc.strerror}; give medfaq access to the knowledge "
                    f"folder (chmod -R u+rX {root})",
                )
            ]
        ) from None


def _load_knowledge(root: Path) -> KnowledgeBase:
    if not root.exists():
        raise KnowledgeError([Problem(root, 0, "no such directory; check --knowledge")])
    if not root.is_dir():
        raise KnowledgeError([Problem(root, 0, "not a directory; give the knowledge folder")])
    if not any(root.iterdir()):
        raise KnowledgeError(
            [
                Problem(
                    root,
                    0,
                    "empty directory; a knowledge directory holds messages.yaml, safety.yaml, "
                    "lexicon/ and drugs/ (start from a copy of the bundled one, or run "
                    "'medfaq import PAGE.md --out DIR')",
                )
            ]
        )
    problems: list[Problem] = []
    messages = _load_one(root / "messages.yaml", Messages, problems)
    safety = _load_one(root / "safety.yaml", SafetyFile, problems)
    topics = _load_one(root / TOPICS_FILE, TopicsFile, problems)
    terms = _load_one(root / "lexicon" / "terms.yaml", TermsFile, problems)
    words = _load_one(root / "lexicon" / "words.yaml", WordsFile, problems)
    drugs = _load_many(root / "drugs", Drug, problems)
    combinations = _load_many(root / "combinations", Combination, problems)
    if not drugs and not any(p.path.parent == root / "drugs" for p in problems):
        problems.append(Problem(root / "drugs", 0, "no drug files (*.yaml); add at least one"))
    check_drugs(drugs, problems)
    if topics:
        check_topics(*topics, problems)
        check_sections(drugs, topics[0], problems)
    check_has_sections(drugs, problems)
    everyday = everyday_words(
        topics[0] if topics else None, words[0] if words else None, root / COMMON_WORDS, problems
    )
    check_names(drugs, everyday, problems)
    check_combinations(combinations, _drug_ids(root / "drugs", drugs), problems)
    if messages:
        check_messages(*messages, problems)
    if safety:
        check_safety(*safety, problems)
    reference_names = _load_reference(root / REFERENCE_NAMES, problems)
    numbers = root / EMERGENCY_NUMBERS
    by_locale = _load_one(numbers, EmergencyNumbersFile, problems) if numbers.is_file() else None
    english = root / ENGLISH_WORDS  # optional: without it, the speller mends any word
    common_words = frozenset(_load_reference(english, problems)) if english.is_file() else NONE
    synonyms = _load_optional(root / "lexicon" / "synonyms.yaml", SynonymsFile, problems)
    model_path = root / TRIAGE_MODEL
    triage_model = (
        load_triage_model(model_path, REQUIRED_KINDS, problems) if model_path.is_file() else None
    )
    conversation = _load_optional(
        root / "lexicon" / "conversation.yaml", ConversationFile, problems
    )
    if problems or not (messages and safety and topics and terms and words):
        raise KnowledgeError(sorted(problems, key=lambda p: (str(p.path), p.line)))
    return KnowledgeBase(
        root=root,
        messages=messages[0],
        safety=safety[0],
        topics=topics[0],
        terms=terms[0],
        words=words[0],
        drugs={d.id: d for d, _ in drugs},
        combinations={c.id: c for c, _ in combinations},
        reference_names=reference_names,
        emergency_numbers=by_locale[0] if by_locale else EmergencyNumbersFile(),
        common_words=common_words,
        synonyms=synonyms,
        conversation=conversation,
        triage_model=triage_model,
    )


def _load_optional(path: Path, model: type[ModelT], problems: list[Problem]) -> ModelT:
    """A lexicon file a knowledge directory may leave out: then its defaults (empty)."""
    if not path.is_file():
        return model()
    loaded = _load_one(path, model, problems)
    return model() if loaded is None else loaded[0]


def load_file(path: Path, model: type[ModelT]) -> ModelT:
    """Load one knowledge file as ``model``; raise :class:`KnowledgeError` with its problems."""
    problems: list[Problem] = []
    loaded = _load_one(path, model, problems)
    if loaded is None:
        raise KnowledgeError(problems)
    return loaded[0]


def _load_one(
    path: Path, model: type[ModelT], problems: list[Problem]
) -> tuple[ModelT, YamlDocument] | None:
    if not path.is_file():
        problems.append(
            Problem(path, 0, f"missing file; every knowledge directory needs {path.name}")
        )
        return None
    try:
        document = load_yaml(path)
    except KnowledgeError as exc:
        problems.extend(exc.problems)
        return None
    if not isinstance(document.data, dict):
        problems.append(Problem(path, 1, "expected a mapping of keys to values at the top"))
        return None
    try:
        return model.model_validate(document.data), document
    except ValidationError as exc:
        problems.extend(explain(document, error) for error in exc.errors())
        return None


def _drug_ids(folder: Path, drugs: list[tuple[Drug, YamlDocument]]) -> set[str]:
    """The ids of loaded drugs, and the file names of those that failed to load (their own
    problems are reported; a combination naming them is not a second mistake)."""
    loaded = {document.path for _, document in drugs}
    failed = {path.stem for path in folder.glob("*.yaml") if path not in loaded}
    return {drug.id for drug, _ in drugs} | failed


def _load_many(
    folder: Path, model: type[ModelT], problems: list[Problem]
) -> list[tuple[ModelT, YamlDocument]]:
    if not folder.is_dir():
        return []
    loaded = (_load_one(path, model, problems) for path in sorted(folder.glob("*.yaml")))
    return [item for item in loaded if item is not None]


def _load_reference(path: Path, problems: list[Problem]) -> dict[str, str]:
    """``name<TAB>substance`` lines: without them, a drug we lack would be taken for one of
    ours by a near spelling ("nortriptyline" -> "did you mean Amitriptyline")."""
    if not path.is_file():
        problems.append(
            Problem(
                path,
                0,
                "missing file; every knowledge directory needs the names of drugs in general "
                "(copy reference/drug-names.txt from the bundled knowledge)",
            )
        )
        return {}
    names: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                name, _, substance = line.rstrip("\n").partition("\t")
                if name and not name.startswith("#"):
                    # Brands of one substance share its string (tens of thousands of lines).
                    names[name] = sys.intern(substance) if substance else name
    except UnicodeDecodeError:
        problems.append(Problem(path, 0, "not valid UTF-8 text; save the file as UTF-8"))
    except OSError as exc:
        problems.append(Problem(path, 0, f"cannot read file: {exc.strerror}"))
    return names
