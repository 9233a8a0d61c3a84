"""``medfaq check``: the bundled knowledge passes; broken copies are refused with file:line."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.knowledge.loading import bundled_knowledge_dir

REPO = Path(__file__).resolve().parents[2]
BUNDLED = bundled_knowledge_dir()
GABAPENTIN = "drugs/gabapentin.yaml"
AMITRIPTYLINE = "drugs/amitriptyline.yaml"
COMBINATION = "combinations/gabapentin-amitriptyline.yaml"

Where = tuple[str, int]
"""A file relative to the knowledge folder, and the line the message must name (0: none)."""


def check(capsys: pytest.CaptureFixture[str], folder: Path) -> tuple[int, str, str]:
    try:
        code = main(["check", str(folder)])
    except SystemExit as exit_:  # the CLI exits 1 from deep inside on bad knowledge
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def edit(root: Path, rel: str, old: str, new: str) -> int:
    """Replace ``old`` (once) in a knowledge file; return the line where ``new`` starts."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {rel}; update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def remove_key(root: Path, rel: str, key: str) -> int:
    """Delete a top-level key and its indented lines; return the line it was on."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    path.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")
    return start + 1


def non_utf8(root: Path) -> Where:
    path = root / GABAPENTIN
    raw = path.read_bytes().replace(b"- Nausea", b"- Naus\xe9a")
    path.write_bytes(raw)
    return GABAPENTIN, raw[: raw.index(b"\xe9")].count(b"\n") + 1


def fifty_megabytes(root: Path) -> Where:
    with (root / AMITRIPTYLINE).open("ab") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: fast to make, 50 MB to stat
    return AMITRIPTYLINE, 0


def duplicate_drug_id(root: Path) -> Where:
    shutil.copy(root / GABAPENTIN, root / "drugs" / "gabapentin-copy.yaml")
    # Read in name order, "gabapentin-copy" comes first: the second, the original, is named.
    return GABAPENTIN, line_of(root / GABAPENTIN, "id:")


def missing_generic_name(root: Path) -> Where:
    remove_key(root, GABAPENTIN, "generic_name")
    return GABAPENTIN, line_of(root / GABAPENTIN, "id:")  # the mapping that lacks it


def missing_disclaimer(root: Path) -> Where:
    remove_key(root, "messages.yaml", "disclaimer")
    return "messages.yaml", first_key_line(root / "messages.yaml")


def unknown_placeholder(root: Path) -> Where:
    edit(root, "messages.yaml", "how much{drug_clause}", "how much {drug_name}")
    return "messages.yaml", line_of(root / "messages.yaml", "dosing:")


def line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(start))


def first_key_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if line[:1].isalpha())


def duplicate_key(root: Path) -> Where:
    line = edit(root, GABAPENTIN, "generic_name:", "name: Again\ngeneric_name:")
    return GABAPENTIN, line


def empty_answer(root: Path) -> Where:
    old = (
        "answer: >-\n      To provide a more comprehensive approach to pain management, "
        "leveraging the different\n      mechanisms of action of each drug."
    )
    return COMBINATION, edit(root, COMBINATION, old, 'answer: ""')


BREAKAGES: list[tuple[str, Callable[[Path], Where], str]] = [
    ("non-UTF-8 file", non_utf8, "not valid UTF-8 text; save the file as UTF-8"),
    (
        "YAML syntax error",  # libyaml notices on the next line; the message names both
        lambda root: (
            GABAPENTIN,
            edit(root, GABAPENTIN, "name: Gabapentin", "name: [Gabapentin") + 1,
        ),
        "YAML syntax error: did not find expected ',' or ']' (parsing a flow sequence started "
        "on line 4)",
    ),
    (
        "a list where text is expected",
        lambda root: (
            GABAPENTIN,
            edit(root, GABAPENTIN, "name: Gabapentin", "name: [Gabapentin, Neurontin]"),
        ),
        "name: expected text, found a list",
    ),
    (
        "yes read as a boolean",
        lambda root: (GABAPENTIN, edit(root, GABAPENTIN, "name: Gabapentin", "name: yes")),
        'name: YAML reads yes as true/false, not text; put it in quotes: "yes"',
    ),
    (
        "a number where text is expected",
        lambda root: (AMITRIPTYLINE, edit(root, AMITRIPTYLINE, "- Dry mouth", "- 12")),
        "sections.side_effects.items.1: YAML reads 12 as a number",
    ),
    ("duplicate keys in a mapping", duplicate_key, "duplicate key 'name' (first on line 4)"),
    ("a 50 MB file", fifty_megabytes, "over the 2,000,000 limit"),
    ("a missing required field", missing_generic_name, "missing required field 'generic_name'"),
    (
        "an unknown key",
        lambda root: (GABAPENTIN, edit(root, GABAPENTIN, "brands:", "brand:")),
        "unknown field 'brand'; check its spelling",
    ),
    ("duplicate drug ids", duplicate_drug_id, "drug id 'gabapentin' is also used in /"),
    # A shared name is reported on the second file read (files are read in name order),
    # naming the first: fixing either one fixes it.
    (
        "a brand shared by two drugs",
        lambda root: (
            edit(root, AMITRIPTYLINE, "[Elavil]", "[Elavil, Neurontin]") and GABAPENTIN,
            line_of(root / GABAPENTIN, "brands:"),
        ),
        "name 'Neurontin' is also a name of 'amitriptyline'",
    ),
    (
        "a misspelling shared by two drugs",
        lambda root: (
            edit(root, AMITRIPTYLINE, "misspellings: [", "misspellings: [gabapetin, ")
            and GABAPENTIN,
            line_of(root / GABAPENTIN, "misspellings:"),
        ),
        "name 'gabapetin' is also a name of 'amitriptyline'",
    ),
    (
        "a combination naming an unknown drug",
        lambda root: (
            COMBINATION,
            edit(root, COMBINATION, "[gabapentin, amitriptyline]", "[gabapentin, nortriptyline]"),
        ),
        "unknown drug 'nortriptyline'; add drugs/nortriptyline.yaml or fix the id",
    ),
    ("an empty answer", empty_answer, "faqs.0.answer: must not be empty"),
    ("a missing disclaimer", missing_disclaimer, "missing required field 'disclaimer'"),
    (
        "a bad regex in safety.yaml",
        lambda root: (
            "safety.yaml",
            edit(root, "safety.yaml", "    - dementia|alzheimers|alzheimer", "    - /(a+)+b/"),
        ),
        "nested quantifiers (a repeated group holding a repeat) can run away",
    ),
    (
        "an unknown placeholder in messages.yaml",
        unknown_placeholder,
        "unknown placeholder {drug_name}; this message may use {drug_clause}",
    ),
    (
        "a python tag",
        lambda root: (
            GABAPENTIN,
            edit(root, GABAPENTIN, "name: Gabapentin", "name: !!python/name:os.system x"),
        ),
        "remove the '!' tag",
    ),
    (
        "a drug named with an everyday word",
        lambda root: (GABAPENTIN, edit(root, GABAPENTIN, "name: Gabapentin", "name: The")),
        "name 'The' is an everyday English word",
    ),
    (
        "a brand that is a word of the lexicon",
        lambda root: (GABAPENTIN, edit(root, GABAPENTIN, "[Neurontin,", "[Side, Neurontin,")),
        "name 'Side' is an everyday English word",
    ),
    (
        "a two-letter misspelling",
        lambda root: (GABAPENTIN, edit(root, GABAPENTIN, "[gabapentine,", "[gb, gabapentine,")),
        "name 'gb' is shorter than 3 letters",
    ),
    (
        "two answers to the same FAQ question",
        lambda root: (
            COMBINATION,
            edit(
                root,
                COMBINATION,
                "question: What are the potential side effects of using both drugs together?",
                "question: why are these drugs used TOGETHER",
            ),
        ),
        "asks the same question as FAQ",
    ),
    ("a drug with no sections", lambda root: no_sections(root), "has no sections"),
    (
        "a missing drug-names reference",
        lambda root: (
            ((root / "reference" / "drug-names.txt").unlink() and ("", 0))
            or ("reference/drug-names.txt", 0)
        ),
        "missing file; every knowledge directory needs the names of drugs in general",
    ),
    (
        "a drug-names reference that is a folder",
        lambda root: (
            ((root / "reference" / "drug-names.txt").unlink() and ("", 0))
            or ((root / "reference" / "drug-names.txt").mkdir() and ("", 0))
            or ("reference/drug-names.txt", 0)
        ),
        "missing file",
    ),
]


def no_sections(root: Path) -> Where:
    line = remove_key(root, AMITRIPTYLINE, "sections")
    with (root / AMITRIPTYLINE).open("a", encoding="utf-8") as file:
        file.write("sections: {}\n")
    return AMITRIPTYLINE, len((root / AMITRIPTYLINE).read_text().splitlines()) if line else 0


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED, root)
    return root


def test_the_bundled_knowledge_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(capsys, REPO / "knowledge")
    assert (code, err) == (0, "")
    assert re.fullmatch(r".*knowledge: OK: \d+ drugs, \d+ combinations, \d+ FAQs\n", out), out


@pytest.mark.parametrize(
    ("breakage", "message"),
    [(b, m) for _, b, m in BREAKAGES],
    ids=[name for name, _, _ in BREAKAGES],
)
def test_a_broken_copy_is_refused_with_file_and_line(
    knowledge_copy: Path,
    capsys: pytest.CaptureFixture[str],
    breakage: Callable[[Path], Where],
    message: str,
) -> None:
    rel, line = breakage(knowledge_copy)
    code, out, err = check(capsys, knowledge_copy)
    assert (code, out) == (1, "")
    where = f"{knowledge_copy / rel}:{line}: " if line else f"{knowledge_copy / rel}: "
    lines = err.splitlines()
    assert any(text.startswith(where) and message in text for text in lines), (
        f"expected {where}...{message}\ngot:\n{err}"
    )
    count = len(lines) - 1
    assert lines[-1] == f"medfaq: the knowledge in {knowledge_copy} has {count} problem(s)"
    assert len(lines) == 2, f"one mistake, one message (no echo in other files):\n{err}"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "nowhere", "no such directory; check --knowledge"),
        (lambda tmp: tmp, "empty directory"),
        (lambda tmp: (tmp / "file.yaml").write_text("a: 1") and tmp / "file.yaml", "not a dir"),
    ],
    ids=["missing directory", "empty directory", "a file, not a directory"],
)
def test_no_knowledge_folder_is_one_clear_message(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], Path],
    message: str,
) -> None:
    folder = make(tmp_path)
    code, _, err = check(capsys, folder)
    assert code == 1
    assert err.splitlines()[0].startswith(f"{folder}: {message}")
    assert len(err.splitlines()) == 2


def test_every_problem_is_reported_at_once(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = []
    chosen = {  # one mistake in each of five files
        "yes read as a boolean",
        "a number where text is expected",
        "an empty answer",
        "a bad regex in safety.yaml",
        "an unknown placeholder in messages.yaml",
    }
    for name, breakage, message in BREAKAGES:
        if name in chosen:
            expected.append((breakage(knowledge_copy), message))
    assert len(expected) == len(chosen)
    code, _, err = check(capsys, knowledge_copy)
    assert code == 1
    for (rel, line), message in expected:
        assert f"{knowledge_copy / rel}:{line}: " in err and message in err, message
    assert err.splitlines()[-1].endswith(f"has {len(expected)} problem(s)")


HOSTILE = {
    "deep nesting": "x: " + "[" * 40_000 + "]" * 40_000 + "\n",  # crashes libyaml
    "deep block nesting": "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "v\n",
    "an alias bomb": "\n".join(
        ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    ),
    "a merge key": "base: &base {id: x}\nother:\n  <<: *base\n",
    "a bad int tag": "id: !!int twelve\n",
    "a key that is a list": "[a, b]: c\n",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_yaml_is_refused_without_a_crash(knowledge_copy: Path, text: str) -> None:
    """In a subprocess: a crash in the YAML parser would take a test run down with it."""
    bad = knowledge_copy / "drugs" / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(knowledge_copy)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"{bad}:")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 3, result.stderr


def test_non_utf8_from_the_command_line_has_no_traceback(knowledge_copy: Path) -> None:
    rel, line = non_utf8(knowledge_copy)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(knowledge_copy)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"{knowledge_copy / rel}:{line}: not valid UTF-8 text")
    assert "Traceback" not in result.stderr


def test_a_reference_file_that_is_not_utf8_is_a_problem(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = knowledge_copy / "reference" / "drug-names.txt"
    reference.write_bytes(reference.read_bytes() + b"caf\xe9\tcoffee\n")
    code, _, err = check(capsys, knowledge_copy)
    assert code == 1
    assert err.startswith(f"{reference}: not valid UTF-8 text")


def test_an_everyday_name_marked_as_intended_passes(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(knowledge_copy, GABAPENTIN, "[Neurontin,", "[Side, Neurontin,")
    edit(knowledge_copy, GABAPENTIN, "sections:", "intended_names: [Side]\nsections:")
    code, _, err = check(capsys, knowledge_copy)
    assert (code, err) == (0, "")
