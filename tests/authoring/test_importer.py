"""``medfaq import``: pages in the seed's markdown format become knowledge files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.authoring import importer, staging, yamlwriter
from bot.authoring.pages import parse_page
from bot.cli.main import main
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir, load_knowledge

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seeds" / "gabapentin-amitriptyline.md"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
BUNDLED = bundled_knowledge_dir()
SEED_DRUG_FILES = ["drugs/gabapentin.yaml", "drugs/amitriptyline.yaml"]


def seed_text() -> str:
    if not SEED.is_file():
        pytest.fail(f"{SEED} is missing: the project expects ../shared beside the checkout")
    return SEED.read_text(encoding="utf-8")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["import", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes: to prove nothing changed."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def page_fields(knowledge: KnowledgeBase) -> dict[str, object]:
    """What a page says, without the matching aids added by hand."""
    combination = knowledge.combinations["gabapentin-amitriptyline"]
    return {
        "drugs": {
            d.id: (d.name, d.generic_name, {t: s.model_dump() for t, s in d.sections.items()})
            for d in knowledge.drugs.values()
        },
        "combination": combination.model_dump(exclude={"faqs"}),
        "faqs": [(f.question, f.answer) for f in combination.faqs],
    }


# --- the seed page ------------------------------------------------------------------------


def test_seed_imports_into_an_empty_folder_and_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    start = time.perf_counter()
    code, stdout, stderr = run(capsys, SEED, "--out", out)
    elapsed = time.perf_counter() - start
    assert (code, stderr) == (0, "")
    assert stdout.strip() == (
        f"{out}: imported 1 page: 2 drugs, 1 combination, 4 FAQs "
        "(3 written, 0 unchanged, 12 base files added)"
    )
    knowledge = load_knowledge(out)
    assert knowledge.summary() == "2 drugs, 1 combinations, 4 FAQs"
    assert (out / "messages.yaml").read_bytes() == (BUNDLED / "messages.yaml").read_bytes()
    assert elapsed < 5


def test_seed_import_has_the_page_fields_of_the_bundled_files(tmp_path: Path) -> None:
    importer.import_pages([SEED], tmp_path / "out")
    assert page_fields(load_knowledge(tmp_path / "out")) == page_fields(load_knowledge(BUNDLED))


def test_imported_file_says_where_it_came_from(tmp_path: Path) -> None:
    importer.import_pages([SEED], tmp_path)
    text = (tmp_path / "drugs" / "gabapentin.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Imported from gabapentin-amitriptyline.md by medfaq import.\n")
    assert "  usage:\n    lead: 'Primarily used to treat:'\n    items:\n      - Nerve pain" in text


def test_seed_over_the_bundled_files_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "knowledge"
    shutil.copytree(BUNDLED, out)
    before = snapshot(out)
    summary = importer.import_pages([SEED], out)
    assert "(0 written, 3 unchanged)" in summary
    assert snapshot(out) == before


def test_seed_over_edited_files_restores_page_fields_and_keeps_hand_aids(tmp_path: Path) -> None:
    out = tmp_path / "knowledge"
    shutil.copytree(BUNDLED, out)
    drug_file = out / "drugs" / "gabapentin.yaml"
    drug_file.write_text(drug_file.read_text().replace("- Fatigue", "- Tiredness"))
    combination_file = out / "combinations" / "gabapentin-amitriptyline.yaml"
    combination_file.write_text(
        combination_file.read_text()
        .replace("id: why-together", "id: why-both")  # kept: matched by its question
        .replace("leveraging the different", "using the different")
    )
    expected = load_knowledge(BUNDLED)

    importer.import_pages([SEED], out)

    result = load_knowledge(out)
    assert result.drugs == expected.drugs  # brands, misspellings and classes kept
    faqs = result.combinations["gabapentin-amitriptyline"].faqs
    assert [f.phrasings for f in faqs] == [
        f.phrasings for f in expected.combinations["gabapentin-amitriptyline"].faqs
    ]
    assert faqs[0].id == "why-both"
    assert faqs[0].answer.startswith("To provide a more comprehensive approach")
    text = drug_file.read_text()
    assert "# Brand names: FDA UNII names list" in text  # source comments kept too
    assert "brands: [Neurontin, Gralise, Horizant]" in text


def test_an_faq_no_longer_on_the_page_is_removed_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "knowledge"
    shutil.copytree(BUNDLED, out)
    bundled = load_knowledge(BUNDLED).combinations["gabapentin-amitriptyline"].faqs
    phrasings = len(next(f for f in bundled if f.id == "safe-together").phrasings)
    edited = seed_text().replace("* **Is it safe", "* **Is it wise")
    page = write(tmp_path / "edited", SEED.name, edited)  # the same page, edited
    code, stdout, stderr = run(capsys, page, "--out", out)
    assert code == 0 and "1 written" in stdout
    combination = out / "combinations" / "gabapentin-amitriptyline.yaml"
    assert stderr == (
        f"{combination}: FAQ 'safe-together' is not on {SEED.name} any more; removed with its "
        f"{phrasings} phrasings\n"
    )
    faqs = load_knowledge(out).combinations["gabapentin-amitriptyline"].faqs
    assert [f.id for f in faqs] == [
        "why-together",
        "combined-side-effects",
        "is-it-wise-to-take-these-drugs-together",
        "stop-suddenly",
    ]


def test_seed_import_answers_like_the_bundled_knowledge(tmp_path: Path) -> None:
    from bot.engine.engine import Engine

    out = tmp_path / "knowledge"
    shutil.copytree(BUNDLED, out)
    importer.import_pages([SEED], out)
    bundled, imported = Engine(load_knowledge(BUNDLED)), Engine(load_knowledge(out))
    for question in [
        "what is gabapentin used for",
        "side effects of amitriptyline",
        "why are gabapentin and amitriptyline used together",
        "can I stop taking these drugs suddenly",
    ]:
        assert imported.ask(question).text == bundled.ask(question).text


def test_seed_imported_alone_answers_its_own_questions(tmp_path: Path) -> None:
    """Without the hand-added aids, the page's own words still find the page's answers."""
    from bot.engine.engine import Engine

    importer.import_pages([SEED], tmp_path)
    knowledge = load_knowledge(tmp_path)
    engine = Engine(knowledge)
    for faq in knowledge.combinations["gabapentin-amitriptyline"].faqs:
        reply = engine.ask(faq.question).as_json(faq.question)
        assert (reply["kind"], reply["entry"]) == (
            "answer",
            f"gabapentin-amitriptyline#{faq.id}",
        ), faq.question
        assert faq.answer in reply["text"]


# --- other pages ---------------------------------------------------------------------------


def test_a_second_drug_pair_page(tmp_path: Path) -> None:
    importer.import_pages([FIXTURES / "sertraline-trazodone.md"], tmp_path)
    knowledge = load_knowledge(tmp_path)
    assert sorted(knowledge.drugs) == ["sertraline", "trazodone"]
    combination = knowledge.combinations["sertraline-trazodone"]
    assert combination.drugs == ["sertraline", "trazodone"]
    assert combination.about == (
        "Sertraline and Trazodone are two separate medications that are sometimes prescribed "
        "together."  # the sentence pointing at "the information below" is dropped
    )
    assert [f.id for f in combination.faqs] == [
        "why-is-trazodone-added-to-sertraline",
        "can-the-combination-cause-serotonin-syndrome",
    ]
    assert combination.faqs[1].answer.startswith("Both drugs affect serotonin")
    sertraline = knowledge.drugs["sertraline"].sections
    assert sertraline.usage is not None and sertraline.usage.lead == "Commonly prescribed for:"
    assert sertraline.how_it_works is not None
    assert knowledge.drugs["trazodone"].sections.how_it_works is None


def test_a_single_drug_page_writes_no_combination(tmp_path: Path) -> None:
    summary = importer.import_pages([FIXTURES / "pregabalin.md"], tmp_path)
    assert "1 drug, 0 combinations, 0 FAQs" in summary
    knowledge = load_knowledge(tmp_path)
    assert list(knowledge.drugs) == ["pregabalin"] and not knowledge.combinations
    assert not (tmp_path / "combinations").exists()


def test_pages_add_to_an_existing_knowledge_folder(tmp_path: Path) -> None:
    out = tmp_path / "knowledge"
    shutil.copytree(BUNDLED, out)
    pages = [SEED, FIXTURES / "sertraline-trazodone.md", FIXTURES / "pregabalin.md"]
    assert "4 written, 3 unchanged" in importer.import_pages(pages, out)
    assert load_knowledge(out).summary() == "5 drugs, 2 combinations, 6 FAQs"


def variant(old: str, new: str, count: int = 1) -> str:
    text = seed_text()
    assert old in text
    return text.replace(old, new, count)


def move_usage_after_how_it_works(text: str) -> str:
    usage_start = text.index("**Usage:**")
    usage_end = text.index("**Side Effects:**")
    how_end = text.index("**Amitriptyline**")
    usage = text[usage_start:usage_end]
    return text[:usage_start] + text[usage_end:how_end] + "\n" + usage + text[how_end:]


@pytest.mark.parametrize(
    ("name", "text", "check"),
    [
        (
            "sections in another order",
            lambda: move_usage_after_how_it_works(seed_text()),
            lambda k: (
                k.drugs["gabapentin"].sections.usage.items[0] == "Nerve pain (neuropathic pain)"
            ),
        ),
        (
            "how it works missing",
            lambda: variant("**How it Works:**  The exact", "The exact"),
            lambda k: k.drugs["gabapentin"].sections.how_it_works is None,
        ),
        (
            "no FAQs, disclaimer or note",
            lambda: seed_text()[: seed_text().index("**FAQs")],
            lambda k: (
                k.combinations["gabapentin-amitriptyline"].faqs == []
                and k.combinations["gabapentin-amitriptyline"].disclaimer is None
            ),
        ),
        (
            "no front matter: title from the # heading",
            lambda: seed_text()[seed_text().index("# Gabapentin") :],
            lambda k: (
                k.combinations["gabapentin-amitriptyline"].title == "Gabapentin + Amitriptyline"
            ),
        ),
        (
            "Windows line endings and extra spaces",
            lambda: seed_text().replace("\n", "  \r\n").replace("* Dizziness", "*    Dizziness"),
            lambda k: k.drugs["gabapentin"].sections.side_effects.items[0] == "Dizziness",
        ),
        (
            "markdown headings and a colon outside the bold",
            lambda: (
                seed_text()
                .replace("**Gabapentin**\n", "## Gabapentin\n")
                .replace("**Usage:**", "**Usage**:")
            ),
            lambda k: k.drugs["gabapentin"].sections.usage.lead == "Primarily used to treat:",
        ),
        (
            "bullets written with • and numbers",
            lambda: (
                seed_text().replace("* Dizziness", "• Dizziness").replace("* Fatigue", "3. Fatigue")
            ),
            lambda k: (
                k.drugs["gabapentin"].sections.side_effects.items
                == load_knowledge(BUNDLED).drugs["gabapentin"].sections.side_effects.items
            ),
        ),
        (
            "usage as one line, no list",
            lambda: variant(
                "**Usage:** Primarily used to treat:\n* Nerve pain (neuropathic pain)\n"
                "* Seizures (epilepsy)\n* Restless legs syndrome",
                "**Usage:** Nerve pain and seizures.",
            ),
            lambda k: (
                k.drugs["gabapentin"].sections.usage.model_dump()
                == {"lead": None, "items": ["Nerve pain and seizures."]}
            ),
        ),
        (
            "a heading that is no drug inside a drug section",
            lambda: variant(
                "**How it Works:**  The exact",
                "**Warnings**\n\nTake care.\n\n**How it Works:**  The exact",
            ),
            lambda k: k.drugs["gabapentin"].sections.how_it_works is not None,
        ),
        (
            "FAQ questions as bold lines with the answer below",
            lambda: variant(
                "* **Why are these drugs used together?** To provide",
                "**Why are these drugs used together?**\n\nTo provide",
            ),
            lambda k: (
                k.combinations["gabapentin-amitriptyline"].faqs[0].answer.startswith("To provide")
            ),
        ),
    ],
)
def test_page_variations_import(
    tmp_path: Path, name: str, text: Callable[[], str], check: Callable[[Any], bool]
) -> None:
    page = write(tmp_path, "page.md", text())
    importer.import_pages([page], tmp_path / "out")
    knowledge = load_knowledge(tmp_path / "out")
    assert sorted(knowledge.drugs) == ["amitriptyline", "gabapentin"], name
    assert check(knowledge), name


def test_an_unknown_section_is_skipped_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = write(
        tmp_path, "p.md", variant("**How it Works:**", "**Dosage:** Ask.\n\n**How it Works:**")
    )
    code, _, stderr = run(capsys, page, "--out", tmp_path / "out")
    assert code == 0
    assert f"{page}:" in stderr and "skipped section 'Dosage'" in stderr


# --- pages that share a drug -----------------------------------------------------------------

PAIR = """---
title: {a} + Gabapentin
---
# {a} + Gabapentin

**{a}**

**Generic Name:** {a}

**Usage:** Used for:
* Something

**Gabapentin**

**Generic Name:** Gabapentin

**Usage:** Primarily used to treat:
* Nerve pain (neuropathic pain)
* Seizures (epilepsy)
* Restless legs syndrome

**Side Effects:** Common side effects include:
* {side_effect}
"""


def test_pages_sharing_an_identical_drug_are_merged(tmp_path: Path) -> None:
    first = write(tmp_path, "a.md", PAIR.format(a="Duloxetine", side_effect="Dizziness"))
    second = write(tmp_path, "b.md", PAIR.format(a="Baclofen", side_effect="Dizziness"))
    summary = importer.import_pages([first, second], tmp_path / "out")
    assert "3 drugs, 2 combinations" in summary
    text = (tmp_path / "out" / "drugs" / "gabapentin.yaml").read_text()
    assert text.startswith("# Imported from a.md, b.md by medfaq import.")


def test_pages_sharing_a_different_drug_are_a_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write(tmp_path, "a.md", PAIR.format(a="Duloxetine", side_effect="Dizziness"))
    second = write(tmp_path, "b.md", PAIR.format(a="Baclofen", side_effect="Nausea"))
    out = tmp_path / "out"
    code, stdout, stderr = run(capsys, first, second, "--out", out)
    assert (code, stdout) == (1, "")
    assert stderr.splitlines()[0] == (
        f"{second}: drug 'gabapentin' differs from the one in {first} (section side effects); "
        "make the pages agree or import them separately"
    )
    assert not out.exists()


def test_pages_with_a_different_combination_are_a_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write(tmp_path, "a.md", seed_text())
    second = write(tmp_path, "b.md", variant("etc.", "and so on."))
    code, _, stderr = run(capsys, first, second, "--out", tmp_path / "out")
    assert code == 1
    assert stderr.splitlines()[0].startswith(
        f"{second}: combination 'gabapentin-amitriptyline' differs from the one in {first} "
        "(section faqs)"
    )


def test_a_brand_in_brackets_stays_out_of_the_id(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "p.md",
        variant("**Generic Name:** Gabapentin", "**Generic Name:** Gabapentin (Neurontin)"),
    )
    importer.import_pages([page], tmp_path / "out")
    drug = load_knowledge(tmp_path / "out").drugs["gabapentin"]
    assert drug.generic_name == "Gabapentin (Neurontin)"


# --- pages that cannot be read ---------------------------------------------------------------

NO_GENERIC = "# X\n\n**Gabapentin**\n\n**Usage:** Used for:\n* Pain\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.md", None, "cannot read file: No such file or directory"),
        ("latin1.md", "# Caf\xe9\n".encode("latin-1"), "not valid UTF-8 text"),
        ("empty.md", b"", "no drug sections found"),
        ("prose.md", b"# Hello\n\nJust some text.\n", "no drug sections found"),
        ("no-generic.md", NO_GENERIC.encode(), "has no '**Generic Name:** ...' line"),
        ("bad-front.md", b"---\ntitle: [unclosed\n---\n# X\n", "front matter is not valid YAML"),
        (
            "deep-front.md",
            b"---\ntitle: " + b"[" * 40_000 + b"]" * 40_000 + b"\n---\n# X\n",
            "front matter nested too deeply",
        ),
        (
            "no-answer.md",
            seed_text().replace(" To provide a more", "\n\nTo provide a more").encode()
            if SEED.is_file()
            else b"",
            "has no answer",
        ),
        (
            "long-name.md",
            b"**A**\n\n**Generic Name:** " + b"a" * 150 + b"\n",
            "cannot be a file name",
        ),
        (
            "lead-only.md",
            b"**A**\n\n**Generic Name:** A\n\n**Usage:** Used for:\n",
            "has the lead-in 'Used for:' but no '* item' lines",
        ),
    ],
)
def test_an_unreadable_page_is_named_and_nothing_is_written(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    message: str,
) -> None:
    page = tmp_path / name
    if content is not None:
        page.write_bytes(content)
    out = tmp_path / "out"
    shutil.copytree(BUNDLED, out)
    before = snapshot(out)
    code, stdout, stderr = run(capsys, SEED, page, "--out", out)
    assert (code, stdout) == (1, "")
    first = stderr.splitlines()[0]
    assert first.startswith(f"{page}:") and message in first, stderr
    assert stderr.splitlines()[-1] == f"medfaq import: nothing was written to {out}"
    assert snapshot(out) == before


def test_a_folder_as_page_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(capsys, tmp_path, "--out", tmp_path / "out")
    assert code == 1 and stderr.startswith(f"{tmp_path}: cannot read file")


def test_an_out_that_is_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = write(tmp_path, "out.txt", "not a folder")
    code, _, stderr = run(capsys, SEED, "--out", out)
    assert code == 1 and stderr.startswith(f"{out}: not a directory")
    assert out.read_text() == "not a folder"


def test_a_page_with_three_drugs_makes_one_combination(tmp_path: Path) -> None:
    third = "**Baclofen**\n\n**Generic Name:** Baclofen\n\n**Usage:** Muscle spasms.\n\n"
    page = write(tmp_path, "three.md", variant("**Combined Use of", third + "**Combined Use of"))
    importer.import_pages([page], tmp_path / "out")
    knowledge = load_knowledge(tmp_path / "out")
    combination = knowledge.combinations["gabapentin-amitriptyline-baclofen"]
    assert combination.drugs == ["gabapentin", "amitriptyline", "baclofen"]


def test_no_traceback_from_the_command(tmp_path: Path) -> None:
    page = tmp_path / "bad.md"
    page.write_bytes(b"\xff\xfe garbage")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "import", str(page), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"{page}:1: not valid UTF-8 text")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# --- all or nothing ---------------------------------------------------------------------------


def test_a_result_that_does_not_validate_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "knowledge"
    shutil.copytree(BUNDLED, out)
    # An existing drug claims "Sertraline" as a brand: the imported sertraline would collide.
    gabapentin = out / "drugs" / "gabapentin.yaml"
    gabapentin.write_text(gabapentin.read_text().replace("[Neurontin,", "[Sertraline, Neurontin,"))
    before = snapshot(out)
    code, _, stderr = run(capsys, FIXTURES / "sertraline-trazodone.md", "--out", out)
    assert code == 1
    assert stderr.count("name 'Sertraline' is also a name of 'gabapentin'") == 1, stderr
    assert stderr.startswith(
        f"{FIXTURES / 'sertraline-trazodone.md'}: the imported drugs/sertraline.yaml:4 would be "
        "invalid: "
    )
    assert snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".medfaq-import")]


def test_an_invalid_existing_file_is_reported_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "knowledge"
    shutil.copytree(BUNDLED, out)
    (out / "drugs" / "gabapentin.yaml").write_text("id: gabapentin\nname: [a\n")
    code, _, stderr = run(capsys, SEED, "--out", out)
    assert code == 1
    assert stderr.startswith(f"{out / 'drugs' / 'gabapentin.yaml'}:")


def test_a_failed_move_puts_every_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "knowledge"
    shutil.copytree(BUNDLED, out)
    (out / "drugs" / "gabapentin.yaml").write_text(
        (out / "drugs" / "gabapentin.yaml").read_text().replace("- Fatigue", "- Tiredness")
    )
    before = snapshot(out)
    real_replace = os.replace
    calls = []

    def flaky_replace(source: Path, target: Path) -> None:
        calls.append(target)
        if len(calls) == 4:
            raise PermissionError(13, "Permission denied", str(target))
        real_replace(source, target)

    monkeypatch.setattr(staging.os, "replace", flaky_replace)
    pages = [SEED, FIXTURES / "sertraline-trazodone.md"]
    code, _, stderr = run(capsys, *pages, "--out", out)
    assert code == 1 and "Permission denied" in stderr
    assert snapshot(out) == before


# --- writing YAML ----------------------------------------------------------------------------

plain_text = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
keys = st.sampled_from(["id", "items", "lead", "faqs", "phrasings", "a_b", "x"])
nested = st.recursive(
    plain_text,
    lambda children: (
        st.lists(children, min_size=1, max_size=4)
        | st.dictionaries(keys, children, min_size=1, max_size=4)
    ),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, nested, min_size=1, max_size=5))
def test_indenting_lists_keeps_the_same_yaml(data: dict[str, object]) -> None:
    assert yaml.safe_load(yamlwriter.dump(data, header=["# a header"])) == data


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(keys, nested, min_size=1, max_size=5),
    st.dictionaries(keys, nested, min_size=1, max_size=5),
)
def test_editing_a_file_into_new_data_gives_exactly_the_new_data(
    old: dict[str, object], new: dict[str, object]
) -> None:
    previous = yamlwriter.dump(old, header=["# a header"]).replace("\n", "  # note\n", 1)
    assert yaml.safe_load(yamlwriter.dump(new, header=["# a header"], previous=previous)) == new


def test_many_pages_import_quickly(tmp_path: Path) -> None:
    template = PAIR.replace("**Side Effects:** Common side effects include:\n* {side_effect}\n", "")
    pages = [
        write(tmp_path / "pages", f"p{i}.md", template.format(a=f"Drug{i}x")) for i in range(300)
    ]
    start = time.perf_counter()
    summary = importer.import_pages(pages, tmp_path / "out")
    elapsed = time.perf_counter() - start
    assert "301 drugs, 300 combinations" in summary
    assert elapsed < 10, f"{elapsed:.1f} s for 300 pages; 2,000 must stay well under 30 s"


def test_parsed_page_keeps_line_numbers_for_messages() -> None:
    page = parse_page(Path("seed.md"), seed_text())
    assert [(d.name, d.line) for d in page.drugs] == [("Gabapentin", 12), ("Amitriptyline", 34)]


def test_an_out_that_is_neither_empty_nor_knowledge_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    write(home, "notes.txt", "my notes")
    before = snapshot(home)
    code, _, stderr = run(capsys, SEED, "--out", home)
    assert code == 1
    assert f"{home}: neither empty nor a knowledge folder" in stderr
    assert snapshot(home) == before


def test_an_empty_out_folder_is_filled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    code, _, stderr = run(capsys, SEED, "--out", out)
    assert code == 0, stderr
    load_knowledge(out)


# --- what maintainers wrote ------------------------------------------------------------------


def test_comments_anywhere_survive_a_re_import(tmp_path: Path) -> None:
    out = tmp_path / "knowledge"
    importer.import_pages([SEED], out)
    path = out / "drugs" / "gabapentin.yaml"
    text = path.read_text()
    text = text.replace(
        "      - Seizures (epilepsy)",
        "      # checked against the label\n      - Seizures (epilepsy)  # since 1993",
    )
    text = text.replace("  side_effects:", "  # reviewed by the pharmacist\n  side_effects:")
    text = text.replace("- Fatigue", "- Tiredness")
    path.write_text(text)
    importer.import_pages([SEED], out)
    result = path.read_text()
    for comment in ("# checked against the label", "# since 1993", "# reviewed by the pharmacist"):
        assert comment in result
    assert "- Fatigue" in result and "Tiredness" not in result
    load_knowledge(out)


def test_a_page_that_changes_another_pages_drug_is_a_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "knowledge"
    importer.import_pages([SEED], out)
    single = write(tmp_path, "other.md", PAIR.format(a="Duloxetine", side_effect="Hiccups"))
    before = snapshot(out)
    code, _, stderr = run(capsys, single, "--out", out)
    assert code == 1
    assert f"{single}: drug 'gabapentin' in {out / 'drugs' / 'gabapentin.yaml'}" in stderr
    assert "it came from gabapentin-amitriptyline.md" in stderr and "--replace" in stderr
    assert snapshot(out) == before
    code, _, stderr = run(capsys, single, "--out", out, "--replace")
    assert code == 0, stderr
    assert "Hiccups" in (out / "drugs" / "gabapentin.yaml").read_text()


def test_a_page_that_changes_a_maintainers_drug_is_a_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "knowledge"
    importer.import_pages([SEED], out)
    path = out / "drugs" / "gabapentin.yaml"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(["# Written by hand from the label.", *lines[2:]]) + "\n")
    page = write(tmp_path / "edited", SEED.name, seed_text().replace("* Fatigue", "* Hiccups"))
    code, _, stderr = run(capsys, page, "--out", out)
    assert code == 1
    assert "drug 'gabapentin'" in stderr and "a maintainer wrote it" in stderr


@pytest.mark.parametrize("text", ["NO", "yes", "on", "1e3", "0o17", "~", "12:30", "2024-01-01"])
def test_an_edited_file_keeps_text_that_yaml_1_1_reads_otherwise_as_text(text: str) -> None:
    previous = yamlwriter.dump({"id": "x"}, header=["# h"])
    data = {"id": "x", "lead": text, "items": [text]}
    assert yaml.safe_load(yamlwriter.dump(data, header=["# h"], previous=previous)) == data


def test_brands_named_on_the_generic_name_line_are_imported_and_kept_with_hand_ones(
    tmp_path: Path,
) -> None:
    page = tmp_path / "venlafaxine-mirtazapine.md"
    shutil.copy(Path(__file__).parents[1] / "data" / "pages" / page.name, page)
    out = tmp_path / "out"
    importer.import_pages([page], out)
    knowledge = load_knowledge(out)
    assert knowledge.drugs["venlafaxine"].brands == ["Effexor XR", "Effexor"]  # bare brand too
    assert knowledge.drugs["mirtazapine"].brands == ["Remeron"]
    drug_file = out / "drugs" / "mirtazapine.yaml"
    text = drug_file.read_text(encoding="utf-8")
    drug_file.write_text(text.replace("brands: [Remeron]", "brands: [Zispin]"), encoding="utf-8")
    importer.import_pages([page], out)  # a maintainer's brand stays, the page's joins it
    assert load_knowledge(out).drugs["mirtazapine"].brands == ["Zispin", "Remeron"]
