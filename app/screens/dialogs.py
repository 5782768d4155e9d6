"""Modal dialogs: a tag name, a note, a choice among a few, a search query, the help."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from widgets.inputs import NoteArea, TagInput
from widgets.safe import clean

ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT]):
    """A small box in the middle of the screen."""

    # Selectors name this class: Textual scopes DEFAULT_CSS to the class that declares it,
    # so a rule written for `ModalScreen` would never match the dialog itself.
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 70; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    Dialog .hint { color: $text-muted; }
    Dialog .error { color: $error; }
    Dialog NoteArea { height: 10; }
    Dialog OptionList { height: auto; max-height: 16; }
    """


class TypeAhead:
    """For a dialog that asks for text: keys typed in the same burst as the key that opened
    it ("/hotline" at once) reach the dialog before its field has focus; they go into the
    field. A printable key only gets here when no field took it."""

    FIELD: ClassVar[str]  # the id of the dialog's text field

    def on_key(self, event: events.Key) -> None:
        if not event.is_printable or not event.character:
            return
        found = self.query(f"#{self.FIELD}")  # type: ignore[attr-defined]
        field = found.first() if found else None
        if not isinstance(field, Input | NoteArea):
            return
        event.stop()
        event.prevent_default()
        if isinstance(field, Input):
            field.insert_text_at_cursor(event.character)
        else:
            field.insert(event.character)
        field.focus()


class TagDialog(TypeAhead, Dialog[str | None]):
    """Ask for a tag name; completion from the library's tags and topics."""

    FIELD = "tag-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel")
    ]

    def __init__(self, names: Iterable[str], title: str = "Tag this story") -> None:
        super().__init__()
        self.names = list(names)
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(self.title_text)  # a str would be parsed as markup
            yield TagInput(self.names, id="tag-input")
            yield Label(
                "enter: tag · →: accept completion · esc: cancel", classes="hint", markup=False
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(clean(event.value) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteDialog(TypeAhead, Dialog[str | None]):
    """Write a note; ctrl+s saves it, escape leaves without saving."""

    FIELD = "note-area"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="note.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.initial = text

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(self.title_text)  # a str would be parsed as markup
            yield NoteArea(self.initial, id="note-area")
            yield Label("ctrl+s: save · esc: cancel", classes="hint", markup=False)

    def action_save(self) -> None:
        self.dismiss(self.query_one(NoteArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(Dialog[str | None]):
    """Pick one of a few values (a tag to remove, a suggestion to accept)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel")
    ]

    def __init__(self, title: str, choices: Sequence[str]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(self.title_text)  # a str would be parsed as markup
            yield OptionList(*[Option(Text(clean(c))) for c in self.choices], id="choices")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class SearchDialog(TypeAhead, Dialog[str | None]):
    """A query in the library's query language; errors are shown, not raised."""

    FIELD = "search-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel")
    ]

    HELP = (
        'words "a phrase" pre*  tag:NAME  feed:NAME  is:unread|read|saved|annotated\n'
        'speaker:"Name"  since:7d|2024-01-01  before:2024-01-01  -negate'
    )

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Search"
            yield Input(self.initial, placeholder="search…", id="search-input")
            yield Static(Text(self.HELP), classes="hint", markup=False)
            yield Static("", id="search-error", classes="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from storage.search import QueryError, compile_query

        event.stop()
        query = event.value.strip()
        try:
            compile_query(query)
        except QueryError as exc:
            self.query_one("#search-error", Static).update(Text(str(exc)))
            return
        self.dismiss(query)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpDialog(Dialog[None]):
    """The keys that work right now, with what they do; then those of the other panes."""

    DEFAULT_CSS = """
    HelpDialog > Vertical { width: 64; }
    HelpDialog OptionList { max-height: 30; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close")
    ]

    def __init__(
        self,
        rows: Sequence[tuple[str, str]],
        panes: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (),
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self.panes = [(title, list(pane_rows)) for title, pane_rows in panes]

    def compose(self) -> ComposeResult:
        every = self.rows + [row for _, pane_rows in self.panes for row in pane_rows]
        width = max((len(k) for k, _ in every), default=4)

        def option(key: str, description: str) -> Option:
            line = Text()
            line.append(key.ljust(width + 2), style="bold")
            line.append(description)
            return Option(line)

        with Vertical() as box:
            box.border_title = "Keys"
            options = [option(key, description) for key, description in self.rows]
            for title, pane_rows in self.panes:
                options.append(Option(Text(title, style="bold italic"), disabled=True))
                options.extend(option(key, description) for key, description in pane_rows)
            yield OptionList(*options, id="help-keys")
            yield Label(
                "esc: close · every key can be changed in [keymap]", classes="hint", markup=False
            )

    def action_close(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class ExportRequest:
    fmt: str
    dest: str
    whole_list: bool


class FormatList(RadioSet):
    """The export formats."""


class ExportDialog(Dialog[ExportRequest | None]):
    """Export the open story, or every story in the list, in one of the export formats."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        # The format list and the checkbox take Enter for themselves; the hint promises that
        # Enter exports from any field, so the dialog sees it first.
        Binding("enter", "export", "Export", priority=True, id="dialog.export"),
        # j/k choose the format as they move everywhere else in the reader. Priority
        # bindings, like Enter, so that "e j Enter" typed at once is handled in that order
        # even before the list has focus; in the folder field they are letters.
        Binding("j", "move_format(1)", "Next format", show=False, priority=True),
        Binding("k", "move_format(-1)", "Previous format", show=False, priority=True),
    ]

    def __init__(self, formats: Sequence[str], dest: str, listed: int) -> None:
        super().__init__()
        self.formats = list(formats)
        self.dest = dest
        self.listed = listed

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Export"
            yield FormatList(*[RadioButton(f, value=i == 0) for i, f in enumerate(self.formats)])
            yield Checkbox(f"all {self.listed} stories in the list", id="whole-list")
            yield Input(self.dest, placeholder="folder or file", id="export-dest")
            yield Label(
                "enter: export · tab: next field · esc: cancel", classes="hint", markup=False
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move_format":
            return not isinstance(self.focused, Input)
        return True

    def action_move_format(self, step: int) -> None:
        radio = self.query_one(FormatList)
        if step > 0:
            radio.action_next_button()
        else:
            radio.action_previous_button()
        radio.action_toggle_button()  # the format under the cursor is the one chosen
        radio.focus()

    def _format_index(self) -> int:
        radio = self.query_one(RadioSet)
        # Enter on the format list means the format under its cursor, pressed or not.
        under_cursor = getattr(radio, "_selected", None)
        if radio.has_focus and isinstance(under_cursor, int):
            return under_cursor
        return radio.pressed_index if radio.pressed_index >= 0 else 0

    def action_export(self) -> None:
        dest = self.query_one("#export-dest", Input).value.strip()
        if not dest:
            self.notify("Give a folder or a file to export to.", severity="warning")
            self.query_one("#export-dest", Input).focus()
            return
        whole = self.query_one("#whole-list", Checkbox).value
        self.dismiss(ExportRequest(self.formats[self._format_index()], dest, whole))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def action_cancel(self) -> None:
        self.dismiss(None)
