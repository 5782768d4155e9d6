"""Subcommands of `byline`, one module per subject."""

from __future__ import annotations

import importlib

import click

MODULES = ["feeds", "stories", "demo", "analysis", "export", "reader"]


def register_all(group: click.Group) -> None:
    for name in MODULES:
        module = importlib.import_module(f"app.commands.{name}")
        for command in module.COMMANDS:
            group.add_command(command)
