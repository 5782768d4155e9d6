"""Settings come from config.toml and BYLINE_* variables, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import ConfigError, load_settings


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.toml", env={})
    assert settings.concurrency > 0 and settings.source is None


def test_file_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('concurrency = 3\nfull_text = true\n[keymap]\n"story.tag" = "T"\n')
    settings = load_settings(path, env={"BYLINE_CONCURRENCY": "5", "BYLINE_DB": "~/x.db"})
    assert settings.concurrency == 5
    assert settings.full_text is True
    assert settings.keymap == {"story.tag": "T"}
    assert settings.db == Path("~/x.db").expanduser()
    assert settings.source == path


@pytest.mark.parametrize(
    "content,message",
    [
        ("concurrency = 'many'", "concurrency"),
        ("colour = 'blue'", "unknown setting 'colour'"),
        ("keymap = 3", "keymap"),
        ("this is not toml", "cannot read"),
    ],
)
def test_bad_settings_explain_themselves(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(path, env={})
