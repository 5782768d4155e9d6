"""Subcommands of `byline`, one module per subject."""

from __future__ import annotations

import importlib

import click

MODULES = ["feeds", "stories", "demo", "analysis", "export", "reader"]


def register_all(group: click.Group) -> None:
    for name in MODULES:
        try:
            module = importlib.import_module(f"app.commands.{name}")
        except ModuleNotFoundError as exc:
            # Only a module that is not there at all is passed over (tests/test_cli_docs.py
            # fails when one is missing); an import error inside a module still raises.
            if exc.name != f"app.commands.{name}":
                raise
            continue
        for command in module.COMMANDS:
            group.add_command(command)
