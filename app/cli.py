"""The `byline` command. With no subcommand it opens the reader (the TUI).

Commands live in app/commands/, one module per subject; this module only wires them up and
turns known failures into one readable line on stderr with a non-zero exit.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from app import __version__

EXIT_ERROR = 1


class UserFacingError(click.ClickException):
    """A failure a person can act on: printed as 'byline: message', exit status 1."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        click.echo(f"byline: {self.format_message()}", err=True)


class AppContext:
    """What every command gets: settings, and the library opened on first use."""

    def __init__(self, db: Path | None, config: Path | None) -> None:
        self._db = db
        self._config = config
        self._settings: Any = None
        self._library: Any = None

    @property
    def settings(self) -> Any:
        if self._settings is None:
            from app.config import ConfigError, load_settings

            try:
                self._settings = load_settings(self._config)
            except ConfigError as exc:
                raise UserFacingError(str(exc)) from None
            if self._db is not None:
                self._settings.db = self._db
        return self._settings

    @property
    def library(self) -> Any:
        if self._library is None:
            from storage import LibraryError, open_library

            try:
                self._library = open_library(self.settings.db)
            except LibraryError as exc:
                raise UserFacingError(str(exc)) from None
        return self._library

    def close(self) -> None:
        if self._library is not None:
            self._library.close()


class BylineGroup(click.Group):
    """Turns the library's own errors into readable messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        from app.errors import friendly_error

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # Whoever read our output went away (`byline show 3 | head`): stop quietly, as
            # other command-line tools do, and keep Python from complaining at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(1) from None
        except Exception as exc:
            message = friendly_error(exc)
            if message is None:
                raise
            raise UserFacingError(message) from None


@click.group(cls=BylineGroup, invoke_without_command=True)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="BYLINE_DB",
    help="The library file (default: in your data folder; env BYLINE_DB).",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="BYLINE_CONFIG",
    help="The settings file (default: config.toml in your config folder).",
)
@click.version_option(__version__, prog_name="byline")
@click.pass_context
def main(ctx: click.Context, db: Path | None, config: Path | None) -> None:
    """Byline: a terminal news reader that knows who said what.

    Run with no command to open the reader.
    """
    app_ctx = AppContext(db, config)
    ctx.obj = app_ctx
    ctx.call_on_close(app_ctx.close)
    if ctx.invoked_subcommand is None:
        from app.commands.reader import open_reader

        open_reader(app_ctx)


def _register() -> None:
    from app.commands import register_all

    register_all(main)


if __name__ == "__main__":  # pragma: no cover
    # `python -m app.cli`: run the imported module's group, which the commands register on.
    from app.cli import main as registered_main

    sys.exit(registered_main())
else:
    _register()
