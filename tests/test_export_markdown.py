"""Markdown export: front matter parsed back, sections, the digest, and re-exports that
never clobber a file the user edited."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.export import ExportError, export_stories
from app.export.common import one_line
from app.export.markdown import MANIFEST, escape, yaml_scalar
from storage import Library
from storage.models import Entry
from tests.support.export_data import HOSTILE_TITLE, build


def _split(text: str) -> tuple[dict, str]:
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.S)
    assert match, text[:200]
    return yaml.safe_load(match.group(1)), match.group(2)


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}


def test_front_matter_parses_back_exactly(library: Library, tmp_path: Path) -> None:
    built = build(library)
    result = export_stories(library, [built.hostile], "markdown", tmp_path / "vault")
    [path] = result.written
    meta, body = _split(path.read_text(encoding="utf-8"))
    assert meta["title"] == one_line(HOSTILE_TITLE)
    assert "\x1b" not in meta["title"]
    assert meta["url"] == "javascript:alert(document.cookie)"
    assert meta["feed"] == "Example [bold]News"
    assert meta["author"] == '=HYPERLINK("http://evil.example")'
    assert meta["published"] == "2024-03-05T10:00:00+00:00"
    assert meta["saved"] is True
    assert meta["byline_id"] == built.hostile
    assert meta["tags"] == ["dangerous", "Ukraine-arms"]
    assert body.lstrip().startswith("# ")


@pytest.mark.parametrize(
    "value",
    [
        'a "quoted": value',
        "line\nbreak",
        "tab\there",
        "back\\slash",
        "- dash",
        "yes",
        "null",
        "123",
        "@at",
        "#hash",
        "\u2028sep\u0085nel\ufeffbom",
        "emoji 🦀",
        "\x00\x01\x7f",
        "",
    ],
)
def test_yaml_scalars_read_back_as_the_same_text(value: str) -> None:
    assert yaml.safe_load(f"k: {yaml_scalar(value)}")["k"] == value


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_survives_the_front_matter(value: str) -> None:
    assert yaml.safe_load(f"k: {yaml_scalar(value)}")["k"] == value


def test_sections_in_order_with_highlights_notes_and_quotes(
    library: Library, tmp_path: Path
) -> None:
    built = build(library)
    result = export_stories(library, [built.hostile], "markdown", tmp_path / "vault")
    _, body = _split(result.written[0].read_text(encoding="utf-8"))
    heads = re.findall(r"^## (.+)$", body, re.M)
    assert heads == ["Highlights", "Quotes", "Notes", "Text"]
    assert "> Ukraine will receive more Javelin missiles\n" in body
    assert "**Note:** =SUM(A1:A9) is what they paid" in body
    assert "**Note:** +1 follow this story" in body
    assert '- **Zelensky, President** — “"We need arms now, not later,"”' in body
    arms = export_stories(library, [built.arms], "markdown", tmp_path / "arms")
    _, arms_body = _split(arms.written[0].read_text(encoding="utf-8"))
    assert '- **A spokesman** — “"This is a defensive package,"' in arms_body
    assert "@channel check the figures" in body
    assert "*publisher*" in body
    # Feed text is shown as written, not run as markup: no raw HTML, link, math or heading.
    assert "<script>" not in body
    assert "\\<script\\>" in body
    assert "\\[a link\\](javascript:alert(1))" in body
    assert "\\$5 million" in body
    assert not re.search(r"^#+ not a heading", body, re.M)
    # A javascript: URL is never made a link.
    assert "<javascript:" not in body


def test_escape_keeps_words_and_defuses_markup() -> None:
    assert escape("Plain words, kept.") == "Plain words, kept."
    assert escape("# title\n- item\n1. one\n> quote") == "\\# title\n\\- item\n1\\. one\n\\> quote"
    assert escape("[[wiki]] ==mark== %%hide%%") == "\\[\\[wiki\\]\\] \\==mark\\== \\%%hide\\%%"


def test_digest_is_one_file_with_every_story(library: Library, tmp_path: Path) -> None:
    built = build(library)
    dest = tmp_path / "digest.md"
    result = export_stories(library, [built.hostile, built.arms], "markdown", dest, single=True)
    assert result.written == [dest]
    meta, body = _split(dest.read_text(encoding="utf-8"))
    assert meta["stories"] == 2
    assert len(re.findall(r"^## ", body, re.M)) == 2
    assert "Pentagon confirms Javelin shipment" in body
    with pytest.raises(ExportError, match="already exists; use --force"):
        export_stories(library, [built.arms], "markdown", dest, single=True)
    assert "Pentagon" in dest.read_text(encoding="utf-8")


def test_re_export_updates_own_files_and_keeps_edited_ones(
    library: Library, tmp_path: Path
) -> None:
    built = build(library)
    vault = tmp_path / "vault"
    ids = [built.hostile, built.arms]
    first = export_stories(library, ids, "markdown", vault)
    assert len(first.written) == 2
    manifest = json.loads((vault / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted(p.name for p in first.written)

    again = export_stories(library, ids, "markdown", vault)
    assert again.written == [] and len(again.unchanged) == 2

    arms_path = next(p for p in first.written if "pentagon" in p.name)
    hostile_path = next(p for p in first.written if p != arms_path)
    edited = arms_path.read_text(encoding="utf-8") + "\nMy own thoughts.\n"
    arms_path.write_text(edited, encoding="utf-8")
    library.add_note(built.arms, "a new note from Byline")
    library.add_note(built.hostile, "another new note")
    third = export_stories(library, ids, "markdown", vault)
    assert third.skipped_edited == [arms_path]
    assert arms_path.read_text(encoding="utf-8") == edited
    assert third.written == [hostile_path]
    assert "another new note" in hostile_path.read_text(encoding="utf-8")

    forced = export_stories(library, ids, "markdown", vault, force=True)
    assert arms_path in forced.written
    assert "a new note from Byline" in arms_path.read_text(encoding="utf-8")
    assert "My own thoughts." not in arms_path.read_text(encoding="utf-8")


def test_a_file_byline_did_not_write_is_not_replaced(library: Library, tmp_path: Path) -> None:
    built = build(library)
    vault = tmp_path / "vault"
    name = f"pentagon-confirms-javelin-shipment-{built.arms}.md"
    vault.mkdir()
    (vault / name).write_text("the user's own note\n", encoding="utf-8")
    result = export_stories(library, [built.arms], "markdown", vault)
    assert [p.name for p in result.skipped_edited] == [name]
    assert (vault / name).read_text(encoding="utf-8") == "the user's own note\n"


def test_a_retitled_story_moves_to_its_new_name(library: Library, tmp_path: Path) -> None:
    built = build(library)
    vault = tmp_path / "vault"
    export_stories(library, [built.arms], "markdown", vault)
    feed = library.get_feed(built.feed_b)
    library.upsert_entries(
        feed.id,
        [Entry(uid="https://defence.example.com/a/1", title="Javelins arrive", text="New text.")],
    )
    result = export_stories(library, [built.arms], "markdown", vault)
    assert [p.name for p in result.removed] == [
        f"pentagon-confirms-javelin-shipment-{built.arms}.md"
    ]
    assert list(_files(vault)) == [f"javelins-arrive-{built.arms}.md"]


def test_folder_export_refuses_a_file_and_an_unwritable_place(
    library: Library, tmp_path: Path
) -> None:
    built = build(library)
    a_file = tmp_path / "file.md"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="is a file"):
        export_stories(library, [built.arms], "markdown", a_file)
    with pytest.raises(ExportError, match="cannot create the folder"):
        export_stories(library, [built.arms], "markdown", a_file / "inside")
    assert a_file.read_text(encoding="utf-8") == "x"


def test_hand_edited_manifest_cannot_point_outside(library: Library, tmp_path: Path) -> None:
    built = build(library)
    vault = tmp_path / "vault"
    vault.mkdir()
    outside = tmp_path / "precious.md"
    outside.write_text("keep me", encoding="utf-8")
    manifest = {"files": {"../precious.md": {"story": built.arms, "sha256": "0" * 64}}}
    (vault / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    export_stories(library, [built.arms], "markdown", vault)
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert "../precious.md" not in json.loads((vault / MANIFEST).read_text())["files"]
