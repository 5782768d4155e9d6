"""What every command prints of a feed's text goes through here: one safe line."""

from __future__ import annotations


def plain(text: str | None) -> str:
    """One line with escape sequences and control, bidi and zero-width characters removed, so
    a feed can never drive the terminal through Byline's output."""
    from app.ingest.clean import safe_text  # lazily: start-up stays light

    return safe_text(text)
