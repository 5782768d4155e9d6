"""Small inputs the reader asks with: a tag name with completion, a note editor."""

from __future__ import annotations

from collections.abc import Iterable

from textual.suggester import SuggestFromList
from textual.widgets import Input, TextArea


class TagInput(Input):
    """A tag or topic name, completed from the names the library already has."""

    def __init__(self, names: Iterable[str], **kwargs: object) -> None:
        names = list(dict.fromkeys(n for n in names if n))
        super().__init__(
            placeholder="tag or topic (→ completes)",
            suggester=SuggestFromList(names, case_sensitive=False),
            **kwargs,  # type: ignore[arg-type]
        )
        self.names = names


class NoteArea(TextArea):
    """A plain-text note; soft-wrapped, no syntax highlighting."""

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(text, soft_wrap=True, show_line_numbers=False, **kwargs)  # type: ignore[arg-type]
