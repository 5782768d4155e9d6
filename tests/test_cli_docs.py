"""Every command has help text and is documented in the README."""

from __future__ import annotations

import importlib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from app.cli import main
from app.commands import MODULES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, prefix=f"{full} "))
    return found


@pytest.mark.parametrize("name", MODULES)
def test_every_command_module_is_there(name: str) -> None:
    module = importlib.import_module(f"app.commands.{name}")
    assert module.COMMANDS or name == "reader"


@pytest.mark.parametrize("name,command", _commands(main))
def test_command_has_help_and_is_in_readme(name: str, command: click.Command) -> None:
    assert (command.help or "").strip(), f"byline {name} has no help text"
    assert f"byline {name}" in README, f"README does not mention `byline {name}`"
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
