"""An import stopped at any file-system step leaves its folder as before or as after.

Each case runs the importer in a subprocess that stops itself (SIGKILL, SIGINT or SIGTERM)
right after step N; the next import's recovery then must leave exactly the files of the
folder before, or exactly those of an import that was never stopped, and no staging.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.authoring import journal
from bot.authoring.importer import import_pages
from bot.knowledge.loading import bundled_knowledge_dir
from bot.knowledge.yamlsource import KnowledgeError

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seeds" / "gabapentin-amitriptyline.md"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
PAGES = [SEED, FIXTURES / "sertraline-trazodone.md"]

STOP_AT_STEP = """
import os, signal, sys
from pathlib import Path
from bot.authoring import journal
from bot.authoring.importer import run_import

stop_at, signum = int(sys.argv[1]), int(sys.argv[2])
steps = []

def hook(name):
    steps.append(name)
    print(name, flush=True)
    if len(steps) == stop_at:
        os.kill(os.getpid(), signum)

journal.step_hook = hook
try:
    code = run_import([Path(p) for p in sys.argv[4:]], Path(sys.argv[3]))
except KeyboardInterrupt:
    code = 130
sys.exit(code)
"""


def files(folder: Path) -> dict[str, bytes]:
    """The knowledge files (the working folder left out), with their bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and journal.WORK not in p.relative_to(folder).parts
    }


def knowledge_folder(tmp_path: Path, name: str) -> Path:
    out = tmp_path / name
    shutil.copytree(bundled_knowledge_dir(), out)
    gabapentin = out / "drugs" / "gabapentin.yaml"
    gabapentin.write_text(gabapentin.read_text().replace("- Fatigue", "- Tiredness"))
    return out


def stopped_import(out: Path, stop_at: int, signum: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", STOP_AT_STEP, str(stop_at), str(signum), str(out), *map(str, PAGES)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


@pytest.mark.slow
def test_an_import_stopped_at_every_step_leaves_the_folder_before_or_after(
    tmp_path: Path,
) -> None:
    reference = knowledge_folder(tmp_path, "reference")
    before = files(reference)
    complete = stopped_import(reference, 0, signal.SIGKILL)
    assert complete.returncode == 0, complete.stderr
    after = files(reference)
    assert after != before
    steps = complete.stdout.splitlines()
    assert "journal committed" in steps and len(steps) >= 8, steps
    outcomes = set()
    for signum in (signal.SIGKILL, signal.SIGINT, signal.SIGTERM):
        for stop_at in range(1, len(steps) + 1):
            out = knowledge_folder(tmp_path, f"{signum.name}-{stop_at}")
            result = stopped_import(out, stop_at, signum)
            assert "Traceback" not in result.stderr, result.stderr
            journal.recover(journal.Workspace(out))  # what the next import does first
            now = files(out)
            assert now in (before, after), f"{signum.name} at step {stop_at}: {steps[stop_at - 1]}"
            outcomes.add(now == after)
            assert not (out / journal.WORK / "stage").exists()
            assert not (out / journal.WORK / "journal").exists()
    assert outcomes == {True, False}, "some stops must leave before and others after"


def test_the_next_import_finishes_what_a_killed_one_committed(tmp_path: Path) -> None:
    reference = knowledge_folder(tmp_path, "reference")
    steps = stopped_import(reference, 0, signal.SIGKILL).stdout.splitlines()
    after = files(reference)
    out = knowledge_folder(tmp_path, "killed")
    stopped_import(out, steps.index("moved drugs/sertraline.yaml") + 1, signal.SIGKILL)
    assert (out / journal.WORK / "journal").exists()
    assert files(out) not in (after,)
    import_pages(PAGES, out)
    assert files(out) == after
    assert not (out / journal.WORK).exists()


def test_a_killed_import_is_invisible_to_git(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    out = knowledge_folder(repo, "knowledge")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    stopped_import(out, 3, signal.SIGKILL)
    assert (out / journal.WORK / "stage").exists()
    status = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert journal.WORK not in status.stdout, status.stdout


def test_a_second_import_while_one_runs_is_refused_with_a_message(tmp_path: Path) -> None:
    out = knowledge_folder(tmp_path, "knowledge")
    before = files(out)
    (out / journal.WORK).mkdir()
    with (out / journal.WORK / "lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(KnowledgeError) as error, journal.locked(out, wait=0.2):
            pass
    assert "another medfaq import is writing to this folder" in str(error.value)
    assert files(out) == before


def test_a_second_import_waits_for_the_first_to_finish(tmp_path: Path) -> None:
    out = knowledge_folder(tmp_path, "knowledge")
    first = subprocess.Popen(
        [sys.executable, "-c", STOP_AT_STEP, "0", "9", str(out), *map(str, PAGES)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stdout is not None
        first.stdout.readline()  # it holds the lock now
        import_pages(PAGES, out)
    finally:
        assert first.wait(timeout=60) == 0
    assert not (out / journal.WORK).exists()


def test_sigterm_before_the_journal_removes_the_stage(tmp_path: Path) -> None:
    out = knowledge_folder(tmp_path, "knowledge")
    before = files(out)
    result = stopped_import(out, 1, signal.SIGTERM)
    assert result.returncode == 130
    assert files(out) == before
    assert not (out / journal.WORK).exists()
    assert os.listdir(out)
