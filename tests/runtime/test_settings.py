"""Every setting is in the README's Settings table with its variable and default; the
cooldown defaults are a burst of ten in thirty seconds; the config example loads."""

from __future__ import annotations

import re
from pathlib import Path

from bot.runtime.settings import Settings, load_settings

README = Path(__file__).resolve().parents[2] / "README.md"


def settings_table() -> dict[str, str]:
    """Variable -> default column of the README's Settings table."""
    section = README.read_text(encoding="utf-8").split("\n## Settings\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = {}
    for match in re.finditer(r"^\| `([A-Z_]+)` \| (.*?) \| .* \|$", section, re.MULTILINE):
        rows[match.group(1)] = match.group(2)
    return rows


def variable(field: str) -> str:
    return "DISCORD_TOKEN" if field == "discord_token" else f"MEDFAQ_{field.upper()}"


def test_every_setting_is_documented_with_its_default() -> None:
    table = settings_table()
    for name, field in Settings.model_fields.items():
        assert variable(name) in table, f"{variable(name)} is missing from the README"
        default = field.default
        if isinstance(default, bool):
            assert f"`{str(default).lower()}`" in table[variable(name)], name
        elif isinstance(default, int | float):
            assert f"`{default:g}`" in table[variable(name)], name
    assert set(table) == {variable(n) for n in Settings.model_fields}


def test_cooldown_defaults() -> None:
    settings = Settings()
    assert (settings.cooldown_burst, settings.cooldown_seconds) == (10, 30.0)


def test_the_readmes_config_example_loads(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", text, re.DOTALL)
    assert example is not None
    config = tmp_path / "medfaq.toml"
    config.write_text(example.group(1), encoding="utf-8")
    settings = load_settings(environ={"MEDFAQ_CONFIG": str(config)}, env_file=None)
    assert settings.shard_ids == [0, 1] and settings.watch and not settings.store_question_text
