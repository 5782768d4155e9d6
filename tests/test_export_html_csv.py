"""HTML and CSV exports parsed back: nothing runs, hostile text stays text."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.export import ExportError, export_stories
from app.export.common import one_line
from app.export.csvfmt import COLUMNS
from storage import Library
from tests.support.export_data import HOSTILE_TITLE, build


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, k, v) for k, v in attrs)
        self._in_h2 = self._in_h2 or tag == "h2"

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_h2:
            self.headings.append(data)


def test_html_has_no_scripts_and_shows_hostile_titles_as_text(
    library: Library, tmp_path: Path
) -> None:
    built = build(library)
    dest = tmp_path / "out.html"
    export_stories(library, [built.hostile, built.arms], "html", dest)
    parsed = _Collect()
    parsed.feed(dest.read_text(encoding="utf-8"))
    assert "script" not in parsed.tags
    assert not {"img", "iframe", "link", "object", "embed"} & set(parsed.tags)
    assert not [a for a in parsed.attrs if a[1].startswith("on")]  # no event handlers
    hrefs = [v for tag, k, v in parsed.attrs if k in {"href", "src"}]
    assert all(v and (v.startswith("#") or v.startswith("https://")) for v in hrefs), hrefs
    assert "https://defence.example.com/a/1" in hrefs
    assert one_line(HOSTILE_TITLE) in parsed.headings
    text = "".join(parsed.text)
    assert "<script>alert('body')</script>" in text  # shown, as text
    assert "Ukraine will receive more Javelin missiles" in text
    assert "=SUM(A1:A9) is what they paid" in text
    assert "Zelensky, President" in text
    assert "A spokesman — " in text  # described, not named: not "Unknown speaker"
    assert "\x1b" not in dest.read_text(encoding="utf-8")
    assert "style" in parsed.tags


def test_html_refuses_to_replace_a_file_without_force(library: Library, tmp_path: Path) -> None:
    built = build(library)
    dest = tmp_path / "out.html"
    dest.write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="already exists"):
        export_stories(library, [built.arms], "html", dest)
    assert dest.read_text(encoding="utf-8") == "mine"
    export_stories(library, [built.arms], "html", dest, force=True)
    assert "Pentagon confirms" in dest.read_text(encoding="utf-8")


def _read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the mark
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_has_a_row_per_highlight_quote_and_note(library: Library, tmp_path: Path) -> None:
    built = build(library)
    dest = tmp_path / "out.csv"
    export_stories(library, [built.hostile, built.arms], "csv", dest)
    rows = _read_csv(dest)
    assert list(rows[0]) == COLUMNS
    hostile = library.get_story(built.hostile)
    arms = library.get_story(built.arms)
    expected = sum(len(s.highlights) + len(s.quotes) for s in (hostile, arms)) + 2
    assert len(rows) == expected
    user = next(r for r in rows if r["kind"] == "highlight")
    assert user["text"] == "Ukraine will receive more Javelin missiles"
    assert user["note"] == (
        "'=SUM(A1:A9) is what they paid\n\n+1 follow this story\nwith a second line"
    )
    assert user["story_title"] == one_line(HOSTILE_TITLE)
    assert user["story_url"] == "javascript:alert(document.cookie)"
    assert user["author"] == '\'=HYPERLINK("http://evil.example")'
    assert user["tags"] == "'-dangerous; Ukraine arms"
    quote = next(r for r in rows if r["kind"] == "quote" and r["story_id"] == str(built.hostile))
    assert quote["speaker"] == "Zelensky, President"
    unnamed = next(r for r in rows if r["kind"] == "quote" and r["story_id"] == str(built.arms))
    assert unnamed["speaker"] == "A spokesman"
    note = next(r for r in rows if r["kind"] == "note" and r["story_id"] == str(built.hostile))
    assert note["note"] == "'@channel check the figures"


def test_no_csv_cell_starts_a_formula(library: Library, tmp_path: Path) -> None:
    built = build(library)
    dest = tmp_path / "out.csv"
    export_stories(library, [built.hostile, built.arms, built.plain], "csv", dest)
    for row in _read_csv(dest):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
