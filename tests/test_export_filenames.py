"""Exported file names: stable, safe on every OS, never outside the target folder."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.export import ExportError
from app.export.filenames import WINDOWS_RESERVED, safe_join, slugify, story_filename

FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)} | {"\x7f"}


def _assert_safe(name: str, story_id: int) -> None:
    stem = name.rsplit(".", 1)[0]
    assert name.endswith(f"-{story_id}.md")
    assert not FORBIDDEN & set(name), name
    assert name not in {".", ".."} and not name.startswith(".")
    assert not name.endswith((".", " ")) and not name.startswith(" ")
    assert stem.split(".")[0].lower() not in WINDOWS_RESERVED
    assert len(stem) <= 100 + len(str(story_id))
    assert len(name.encode("utf-8")) <= 255


@pytest.mark.parametrize(
    "title",
    [
        "../../etc/passwd",
        "..\\..\\Windows\\System32",
        "a/b/c",
        "CON",
        "nul",
        "COM1",
        "lpt9 ",
        "Trailing dots...",
        "  spaces   ",
        "bell\x07 and \x1b[31mred\x1b[0m",
        "x" * 300,
        "日本語のニュース" * 40,
        "",
        "....",
        "\u202eevil\u202d.exe",
    ],
)
def test_hostile_titles_give_safe_names(title: str, tmp_path: Path) -> None:
    name = story_filename(title, 4711)
    _assert_safe(name, 4711)
    path = safe_join(tmp_path, name)
    assert path.parent == tmp_path.resolve()
    path.write_text("ok", encoding="utf-8")  # the OS takes it as it is
    assert path.read_text(encoding="utf-8") == "ok"


def test_names_are_stable_and_readable() -> None:
    title = "Ukraine receives Javelin missiles, officials say"
    assert story_filename(title, 12) == story_filename(title, 12)
    assert story_filename(title, 12) == "ukraine-receives-javelin-missiles-officials-say-12.md"
    assert story_filename("Ещё одна новость", 3) == "ещё-одна-новость-3.md"
    assert slugify("") == "story"
    assert story_filename("same", 1) != story_filename("same", 2)


@pytest.mark.parametrize("name", ["../x.md", "..", ".", "a/b.md", "a\\b.md", "", "x\x00.md"])
def test_safe_join_refuses_anything_but_a_plain_name(name: str, tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        safe_join(tmp_path, name)


@settings(max_examples=300, deadline=None)
@given(title=st.text(max_size=400), story_id=st.integers(min_value=1, max_value=10**12))
def test_any_title_stays_inside_the_folder(title: str, story_id: int) -> None:
    name = story_filename(title, story_id)
    _assert_safe(name, story_id)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = safe_join(folder, name)
        assert path.parent == folder.resolve()
        path.write_bytes(b"")
        assert [p.name for p in folder.iterdir()] == [name]
