"""One typed settings object, read once at start and passed in; nothing else reads the environment.

Sources, strongest first: environment variables (``MEDFAQ_*``, and ``DISCORD_TOKEN``), a
``.env`` file in the working directory, a TOML config file named by ``MEDFAQ_CONFIG``.
Unknown or malformed settings are an error at start, naming the setting.
"""

from __future__ import annotations

import io
import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from dotenv import dotenv_values
from platformdirs import user_data_dir
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from bot.engine.render import DEFAULT_EMERGENCY_NUMBERS
from bot.runtime.store import is_postgres_url


def default_db_path() -> Path:
    return Path(user_data_dir("medfaq", appauthor=False)) / "medfaq.sqlite3"


class SettingsError(Exception):
    """A setting is unknown or malformed; the message names it and says what to do."""


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    discord_token: SecretStr | None = None
    """From DISCORD_TOKEN; a SecretStr so it never shows in a repr or a log."""
    knowledge: Path | None = None
    """Knowledge directory; None means the bundled knowledge."""
    db: Path | str = Field(default_factory=default_db_path)
    """The question log: a SQLite file path, or a ``postgresql://`` URL shared by every shard
    process (``runtime/store``)."""
    cooldown_seconds: float = Field(default=30.0, ge=0)
    """Per member: at most ``cooldown_burst`` questions in this many seconds (0: no limit)."""
    cooldown_burst: int = Field(default=10, ge=1)
    allow_dms: bool = True
    store_question_text: bool = True
    """Off: the question log keeps the reply kind and match, never the words asked."""
    retention_days: float | None = Field(default=None, gt=0)
    """Questions older than this many days are deleted (at start, then daily, and by
    ``medfaq prune``); None: kept until deleted."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    """``json``: one JSON object a line, for log collectors."""
    metrics_port: int | None = Field(default=None, ge=0, le=65535)
    """Serve ``/healthz`` and ``/metrics`` (Prometheus) on this port; None: off; 0: any."""
    metrics_host: str = "127.0.0.1"
    """Where the health and metrics endpoint listens; loopback unless you need otherwise."""
    emergency_numbers: str = DEFAULT_EMERGENCY_NUMBERS
    dev_guild: int | None = None
    """Sync slash commands to this guild only (instant, for development)."""
    shard_count: int | None = Field(default=None, ge=1)
    """Shards in the whole deployment; None: as many as Discord recommends, all here."""
    shard_ids: list[int] | None = None
    """The shards this process runs (``0,1``); needs ``shard_count``. None: all of them."""
    watch: bool = False
    """Reload the knowledge when its files change (polling)."""
    watch_seconds: float = Field(default=2.0, gt=0)
    """How often ``watch`` looks at the knowledge files."""
    message_content: bool = False
    """Ask for the privileged message content intent (needed for answer channels)."""
    discord_api_base: str | None = None
    """Test only: the REST API base of a fake Discord, e.g. ``http://127.0.0.1:PORT/api/v10``."""
    discord_gateway: str | None = None
    """Test only: the gateway websocket URL of a fake Discord."""
    config: Path | None = None
    """A TOML file with any of these settings (keys without the MEDFAQ_ prefix)."""
    cache_dir: Path | None = None
    """Where every command keeps the loaded engine (``bot/runtime/cache.py``); None: the
    per-user cache folder."""

    @field_validator("discord_token", mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        """A token pasted with a line break would break the request's header."""
        if isinstance(value, str):
            value = value.strip()
            if any(c.isspace() or not c.isprintable() for c in value):
                raise ValueError("has a space or line break inside; copy the token again")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("db", mode="after")
    @classmethod
    def _path_unless_url(cls, value: Path | str) -> Path | str:
        if isinstance(value, str) and not is_postgres_url(value):
            return Path(value).expanduser()
        return value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return [int(part) for part in value.split(",") if part.strip()]
            except ValueError:
                raise ValueError("give shard numbers separated by commas, e.g. 0,1") from None
        return value


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env"), **overrides: Any
) -> Settings:
    """Read the settings; raise :class:`SettingsError` with a readable message if any is bad.

    Weakest first: the TOML file named by ``MEDFAQ_CONFIG``, the ``.env`` file, the
    environment (``environ`` replaces it in tests), then ``overrides``.
    """
    env: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        text = _text_file(env_file, "the .env file")
        env.update({k: v for k, v in dotenv_values(stream=io.StringIO(text)).items() if v})
    env.update(os.environ if environ is None else environ)
    values: dict[str, Any] = _config_file_values(env.get("MEDFAQ_CONFIG"))
    for key, value in env.items():
        if key == "DISCORD_TOKEN":
            values["discord_token"] = value
        elif key.startswith("MEDFAQ_"):
            name = key.removeprefix("MEDFAQ_").lower()
            if name not in Settings.model_fields or name == "discord_token":
                raise SettingsError(
                    f"unknown setting {key}; the README's Settings table lists them"
                )
            values[name] = value
    values.update(overrides)
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"]) or "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"setting {name}: {message}") from None


MAX_SETTINGS_BYTES = 1_000_000


def _text_file(path: Path, what: str) -> str:
    """A settings file's text; a FIFO or device (which could block forever), an unreadable,
    huge or non-UTF-8 file is a :class:`SettingsError` naming it."""
    try:
        with open(path, "rb", opener=_open_nonblocking) as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise SettingsError(f"{path} ({what}): not a regular file; name a TOML file")
            raw = stream.read(MAX_SETTINGS_BYTES + 1)
    except OSError as exc:
        raise SettingsError(f"{path} ({what}): cannot read the file: {exc.strerror}") from None
    if len(raw) > MAX_SETTINGS_BYTES:
        raise SettingsError(
            f"{path} ({what}): over {MAX_SETTINGS_BYTES:,} bytes; is it the right file?"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SettingsError(
            f"{path}:{line} ({what}): not UTF-8 text; save the file as UTF-8 text"
        ) from None


def _open_nonblocking(name: str, flags: int) -> int:
    """Opening a FIFO for reading waits for a writer; non-blocking, it returns at once."""
    return os.open(name, flags | os.O_NONBLOCK)


def _config_file_values(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        data = tomllib.loads(_text_file(Path(path), "MEDFAQ_CONFIG"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(Settings.model_fields) - {"discord_token"})
    if unknown:
        raise SettingsError(f"{path}: unknown setting {unknown[0]!r}")
    return data
