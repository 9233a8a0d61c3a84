"""Writing accepted suggestions into the knowledge files, keeping their comments and layout.

Round-trip YAML (ruamel.yaml) changes only what is added: a phrasing appended to an FAQ's or a
topic's ``phrasings``, a lay phrasing to a term's ``said``, or a new term, each with a comment
saying where it came from. :func:`plan` only computes the new texts; :mod:`bot.insights.applying`
checks, shows and writes them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from bot.insights.targets import Target
from bot.knowledge.text import normalise


class EditError(Exception):
    """The edit cannot be made; ``problems`` are lines for the user (file:line: what)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Edit:
    target: Target
    phrase: str
    note: str
    """The comment written beside it, e.g. "learned 2026-11-28 from 3 questions in the log"."""


@dataclass(frozen=True)
class Change:
    path: Path
    old: str
    new: str
    skipped: tuple[str, ...] = ()
    """Phrases not added because the entry already has them."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the author wrote
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def plan(root: Path, edits: Sequence[Edit]) -> list[Change]:
    """The new text of each file the edits touch (nothing is written)."""
    by_file: dict[str, list[Edit]] = {}
    for edit in edits:
        if edit.target.file is None:
            raise EditError([f"{edit.target.label}: a person must write this one"])
        by_file.setdefault(edit.target.file, []).append(edit)
    changes = []
    yaml = _yaml()
    for name, file_edits in by_file.items():
        path = root / name
        try:
            old = path.read_text(encoding="utf-8")
            data = yaml.load(old)
        except (OSError, ValueError) as exc:  # ruamel's errors are ValueErrors or YAMLErrors
            raise EditError([f"{path}: cannot read it: {exc}"]) from None
        except Exception as exc:
            raise EditError([f"{path}: not valid YAML: {exc}; run medfaq check"]) from None
        skipped = tuple(e.phrase for e in file_edits if not _apply(data, e, path))
        out = io.StringIO()
        yaml.dump(data, out)
        changes.append(Change(path, old, out.getvalue(), skipped))
    return changes


def _apply(data: Any, edit: Edit, path: Path) -> bool:
    """Add ``edit`` to the loaded file; False when the entry already has the phrase."""
    target = edit.target
    if target.kind == "topic":
        entry = data.get("topics", {}).get(target.key)
        return _add(_seq(entry, "phrasings", path, target), edit)
    if target.kind == "faq":
        faq_id = target.key.partition("#")[2]
        faq = next((f for f in data.get("faqs") or () if f.get("id") == faq_id), None)
        return _add(_seq(faq, "phrasings", path, target), edit)
    if target.kind == "misspelling":
        return _add_misspelling(data, edit, path)
    terms = data.get("terms")
    if not isinstance(terms, CommentedSeq):
        raise EditError([f"{path}: no terms list"])
    if target.kind == "term":
        term = next((t for t in terms if t.get("id") == target.key), None)
        said = _seq(term, "said", path, target)
        if normalise(edit.phrase) in {normalise(str(s)) for s in said}:
            return False
        said.append(scalar(edit.phrase))
        assert isinstance(term, CommentedMap)  # _seq checked it
        _note_after_key(term, "said", edit.note)
        return True
    if target.kind == "new_term":
        _new_term(terms, edit)
        return True
    raise EditError([f"{target.label}: a person must write this one"])


def scalar(text: str) -> str:
    """``text`` quoted when the loader (YAML 1.1) would read it as something else than this
    text: "no", "on" and "yes" are booleans there, though ruamel.yaml writes them bare."""
    try:
        plain = pyyaml.safe_load(text)
    except pyyaml.YAMLError:
        plain = None
    return text if plain == text else DoubleQuotedScalarString(text)


def _add_misspelling(drug: Any, edit: Edit, path: Path) -> bool:
    if not isinstance(drug, CommentedMap) or drug.get("id") != edit.target.key:
        raise EditError([f"{path}: not the drug {edit.target.key!r}; the knowledge changed"])
    if "misspellings" not in drug:
        seq = CommentedSeq()
        seq.fa.set_flow_style()
        keys = list(drug)
        after = "brands" if "brands" in drug else "generic_name"
        drug.insert(keys.index(after) + 1 if after in keys else len(keys), "misspellings", seq)
    said = _seq(drug, "misspellings", path, edit.target)
    if normalise(edit.phrase) in {normalise(str(s)) for s in said}:
        return False
    said.append(scalar(edit.phrase))
    _note_after_key(drug, "misspellings", edit.note)
    return True


def _seq(entry: Any, key: str, path: Path, target: Target) -> CommentedSeq:
    if not isinstance(entry, CommentedMap):
        raise EditError([f"{path}: no entry {target.key!r}; the knowledge changed, re-run it"])
    if key not in entry or entry[key] is None:
        entry[key] = CommentedSeq()
    seq = entry[key]
    if not isinstance(seq, CommentedSeq):
        raise EditError([f"{path}: {target.key}: {key} is not a list"])
    return seq


def _add(seq: CommentedSeq, edit: Edit) -> bool:
    """Append to a block list, with the note as an end-of-line comment. A comment that stood
    after the old last item (about the next key) moves down, to stay above that key."""
    if normalise(edit.phrase) in {normalise(str(s)) for s in seq}:
        return False
    last = len(seq) - 1
    following = ""
    tokens = seq.ca.items.get(last)
    if tokens and tokens[0] is not None:
        eol, newline, rest = tokens[0].value.partition("\n")
        following = newline + rest
        if eol.strip():
            tokens[0].value = eol + "\n"
        else:
            seq.ca.items.pop(last)
    seq.append(scalar(edit.phrase))
    seq.yaml_add_eol_comment(f"# {edit.note}", len(seq) - 1)
    if following:
        token = seq.ca.items[len(seq) - 1][0]
        token.value = token.value.rstrip("\n") + following
    return True


def _note_after_key(mapping: CommentedMap, key: str, note: str) -> None:
    """An end-of-line comment after ``key``'s value (a flow list), added to any already there."""
    tokens = mapping.ca.items.get(key)
    old = tokens[2] if tokens and len(tokens) > 2 and tokens[2] is not None else None
    if old is not None and old.value.strip():
        eol, newline, rest = old.value.partition("\n")
        old.value = f"{eol.rstrip()}; {note}{newline}{rest}"
        return
    mapping.yaml_add_eol_comment(f"# {note}", key)


def _new_term(terms: CommentedSeq, edit: Edit) -> None:
    item = edit.target.item or edit.phrase
    taken = {str(t.get("id")) for t in terms}
    term_id, n = edit.target.key, 2
    while term_id in taken:
        term_id, n = f"{edit.target.key}-{n}", n + 1
    term = CommentedMap()
    term["id"] = term_id
    term["label"] = scalar(item)
    listed = normalise(item)
    for key, values in (("listed", [listed]), ("said", list(dict.fromkeys([listed, edit.phrase])))):
        seq = CommentedSeq(scalar(v) for v in values)
        seq.fa.set_flow_style()
        term[key] = seq
    terms.append(term)
    terms.yaml_set_comment_before_after_key(len(terms) - 1, before=edit.note, indent=2)
