"""A throwaway PostgreSQL server for the tests: ``initdb`` into a temporary folder, ``pg_ctl``
on a free port on 127.0.0.1, stopped (and its folder removed) at the end of the session.

Debian's ``postgresql`` package provides the binaries (``make test`` installs it when it is
missing). The server refuses to run as root, so as root it runs as the ``postgres`` user.
Nothing is mocked: the store suite and the end-to-end tests talk to this real server.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

HOW_TO_FIX = (
    "run `make test`, which installs Debian's postgresql package when it is missing "
    "(apt-get install -y postgresql), then the tests again"
)
SUPERUSER = "medfaq"


class PostgresUnavailable(Exception):
    """The test server cannot be started; the message says why and what to run."""


def binaries() -> Path:
    """The newest installed PostgreSQL's bin folder (Debian keeps them versioned)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise PostgresUnavailable(f"PostgreSQL is not installed (no initdb found): {HOW_TO_FIX}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    folder: Path
    port: int
    bin: Path
    _names: Iterator[int] = field(default_factory=itertools.count)

    @property
    def admin_url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "medfaq_test") -> str:
        """A fresh, empty database; its URL."""
        name = f"{prefix}_{next(self._names)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"'.encode())
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            data = str(self.folder / "data")
            _as_owner([str(self.bin / "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"], 60)
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a server for the length of the ``with`` block; :class:`PostgresUnavailable`
    (saying what to do) if it cannot be started."""
    bin_dir = binaries()
    folder = Path(tempfile.mkdtemp(prefix="medfaq-postgres-"))
    server = PostgresServer(folder, free_port(), bin_dir)
    try:
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                message = f"no postgres user to run the server as: {HOW_TO_FIX}"
                raise PostgresUnavailable(message) from None
            os.chown(folder, owner.pw_uid, owner.pw_gid)
        data, log = folder / "data", folder / "server.log"
        initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust"]
        _step([*initdb, "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], "initdb")
        options = f"-p {server.port} -h 127.0.0.1 -k '' -F -c max_connections=200"
        pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options]
        _step([*pg_ctl, "-w", "-t", "60", "start"], "pg_ctl start", log)
        yield server
    finally:
        server.stop()


def _step(command: list[str], what: str, log: Path | None = None) -> None:
    try:
        done = _as_owner(command, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        raise PostgresUnavailable(f"{what} failed: {exc}; {HOW_TO_FIX}") from None
    if done.returncode != 0:
        detail = done.stdout + done.stderr
        if log is not None and log.is_file():
            detail += log.read_text(errors="replace")
        raise PostgresUnavailable(f"{what} failed:\n{detail.strip()}\n{HOW_TO_FIX}")


def _as_owner(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as the ``postgres`` user when we are root (the server refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        prefix + command, capture_output=True, text=True, timeout=timeout, check=False
    )
