"""The reader: `byline` with no subcommand opens the TUI on the library."""

from __future__ import annotations

from typing import Any

COMMANDS: list[Any] = []


def open_reader(app_ctx: Any) -> None:
    """Build and run the Textual App on the context's library and settings."""
    from app.tui import run_reader

    run_reader(app_ctx.library, app_ctx.settings)
