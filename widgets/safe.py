"""Untrusted text (from feeds) on its way to the screen: data, never markup or escapes.

Everything a feed wrote goes through one of these before a widget shows it. The results are
plain strings; widgets wrap them in `rich.text.Text` so no markup parser ever sees them.
"""

from __future__ import annotations

import re

from rich.text import Text

# ANSI/ECMA-48 sequences: CSI (ESC [ ...), OSC (ESC ] ... BEL/ST), DCS/PM/APC strings, and
# two-character escapes. Removed whole so no fragment of a sequence is left behind.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
# C0 and C1 controls (but not \t \n), DEL, bidi overrides/isolates, zero-width characters.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
_SPACES = re.compile(r"\s+")
REPLACEMENT = "\ufffd"


def clean(value: str | None) -> str:
    """A single line of safe text: escapes and controls removed, whitespace collapsed."""
    if not value:
        return ""
    value = _ESCAPES.sub("", value)
    value = _UNSAFE.sub("", value)
    return _SPACES.sub(" ", value).strip()


def clean_lines(value: str | None) -> str:
    """Several lines of safe text (a notification, an error): each line cleaned as by clean()."""
    if not value:
        return ""
    return "\n".join(clean(line) for line in value.splitlines())


def clean_keep_offsets(value: str) -> str:
    """Body text made safe while every character keeps its offset (highlights and quotes
    point into the stored text): each unsafe character becomes one visible replacement."""
    value = value.replace("\t", " ").replace("\r", " ")
    return _UNSAFE.sub(REPLACEMENT, value)


def plain(value: str | None, style: str = "") -> Text:
    """A Rich Text from untrusted text, never parsed as markup."""
    return Text(clean(value), style=style, no_wrap=True, overflow="ellipsis")
