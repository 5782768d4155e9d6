"""`byline export` and the scripting commands, run as a user would (a real library file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from app.cli import main
from app.export import ExportError, export_stories
from app.export.atomic import write_atomic
from storage import open_library
from tests.support.export_data import ARMS_TEXT, Built, build


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, Built]:
    path = tmp_path / "library.db"
    with open_library(path) as library:
        built = build(library)
    return path, built


def run(db_path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db_path), *args], catch_exceptions=False)


def _failed_cleanly(result: Result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("byline: ") and message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def _uids(document: dict) -> set[str]:
    return {s["uid"] for s in document["stories"]}


def test_default_selection_is_saved_or_annotated(db: tuple[Path, Built]) -> None:
    path, _ = db
    result = run(path, "export", "--format", "json")
    assert result.exit_code == 0, result.output
    # The hostile story is saved, the arms story has a note; the weather story is neither.
    assert _uids(json.loads(result.stdout)) == {"guid-1", "https://defence.example.com/a/1"}


def test_filters_choose_the_stories(db: tuple[Path, Built]) -> None:
    path, _ = db
    saved = json.loads(run(path, "export", "-f", "json", "--saved").stdout)
    assert _uids(saved) == {"guid-1"}
    tagged = json.loads(run(path, "export", "-f", "json", "--tag", "Javelin deliveries").stdout)
    assert _uids(tagged) == {"https://defence.example.com/a/1"}
    everything = json.loads(run(path, "export", "-f", "json", "--query", "").stdout)
    assert len(everything["stories"]) == 3
    searched = json.loads(run(path, "export", "-f", "json", "--query", "weather").stdout)
    assert _uids(searched) == {"https://defence.example.com/a/2"}
    none = run(path, "export", "-f", "json", "--query", "nothing-matches-this")
    assert none.exit_code == 0 and none.stdout == "" and "nothing written" in none.stderr


def test_each_format_writes_a_file(db: tuple[Path, Built], tmp_path: Path) -> None:
    path, _ = db
    for fmt, name in [("json", "a.json"), ("html", "a.html"), ("csv", "a.csv")]:
        result = run(path, "export", "-f", fmt, "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 0
    result = run(path, "export", "-f", "markdown", "-o", str(tmp_path / "vault"))
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "vault").glob("*.md"))) == 2
    digest = run(path, "export", "-f", "markdown", "--single")
    assert digest.exit_code == 0 and digest.stdout.startswith("---\n")


def test_bad_destinations_fail_cleanly(db: tuple[Path, Built], tmp_path: Path) -> None:
    path, _ = db
    existing = tmp_path / "out.json"
    existing.write_text("keep", encoding="utf-8")
    _failed_cleanly(run(path, "export", "-f", "json", "-o", str(existing)), "--force")
    assert existing.read_text(encoding="utf-8") == "keep"
    assert run(path, "export", "-f", "json", "-o", str(existing), "--force").exit_code == 0
    assert json.loads(existing.read_text(encoding="utf-8"))["byline_export"] == 1
    under_a_file = existing / "x.csv"
    _failed_cleanly(run(path, "export", "-f", "csv", "-o", str(under_a_file)), "not a folder")
    # Unwritable even for root: /proc takes no new files.
    _failed_cleanly(run(path, "export", "-f", "html", "-o", "/proc/byline/x.html"), "cannot")
    _failed_cleanly(run(path, "export", "-f", "html", "-o", "/proc/x.html"), "cannot write")
    _failed_cleanly(run(path, "export", "-f", "markdown"), "give a folder with -o")
    _failed_cleanly(run(path, "export", "-f", "markdown", "-o", str(existing)), "is a file")
    bad_query = run(path, "export", "-f", "json", "--query", "is:nonsense")
    _failed_cleanly(bad_query, "is:nonsense is not known")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


def test_write_atomic_leaves_nothing_behind_when_it_fails(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()  # os.replace cannot put a file over a folder
    with pytest.raises(ExportError, match="cannot write"):
        write_atomic(target, b"data")
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_the_python_api_refuses_unknown_formats_and_stories(
    db: tuple[Path, Built], tmp_path: Path
) -> None:
    path, built = db
    with open_library(path) as library:
        with pytest.raises(ExportError, match="unknown export format 'pdf'"):
            export_stories(library, [built.arms], "pdf", tmp_path / "x.pdf")
        with pytest.raises(ExportError, match="no story with id 424242"):
            export_stories(library, [built.arms, 424242], "json", tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()


def test_save_and_unsave(db: tuple[Path, Built]) -> None:
    path, built = db
    assert run(path, "save", str(built.plain)).exit_code == 0
    with open_library(path) as library:
        assert library.get_story(built.plain).saved
    result = run(path, "unsave", str(built.plain))
    assert result.exit_code == 0 and result.stdout.startswith(f"unsaved {built.plain}")
    with open_library(path) as library:
        assert not library.get_story(built.plain).saved
    _failed_cleanly(run(path, "save", "999999"), "no story with id 999999")


def test_highlight_then_note_on_it(db: tuple[Path, Built]) -> None:
    path, built = db
    passage = "Critics warned the deliveries\n  could escalate"  # wrapped differently
    result = run(path, "highlight", str(built.arms), passage, "--note", "why?")
    assert result.exit_code == 0, result.output
    highlight_id = int(result.stdout.strip())
    again = run(path, "highlight", str(built.arms), "Critics warned the deliveries could escalate")
    assert int(again.stdout.strip()) == highlight_id  # no duplicate
    note = run(
        path, "note", str(built.arms), "Check who the critics are", "--highlight", str(highlight_id)
    )
    assert note.exit_code == 0, note.output
    with open_library(path) as library:
        story = library.get_story(built.arms)
    [h] = [h for h in story.highlights if h.kind == "user"]
    assert (h.id, h.note) == (highlight_id, "why?")
    assert ARMS_TEXT[h.start : h.end] == "Critics warned the deliveries could escalate"
    assert [n.body for n in story.notes if n.highlight_id == highlight_id] == [
        "Check who the critics are"
    ]
    shown = json.loads(run(path, "show", str(built.arms), "--json").stdout)
    assert any(x["id"] == highlight_id for x in shown["highlights"])
    # As text, somebody described but not named reads as the description.
    text = run(path, "show", str(built.arms)).stdout
    assert "  A spokesman — “This is a defensive package" in text


def test_scripting_commands_refuse_bad_input(db: tuple[Path, Built]) -> None:
    path, built = db
    _failed_cleanly(run(path, "highlight", str(built.arms), "not in the story"), "not in story")
    _failed_cleanly(run(path, "note", str(built.arms), "   "), "needs some text")
    _failed_cleanly(
        run(path, "note", str(built.arms), "x", "--highlight", "424242"), "has no highlight"
    )
    _failed_cleanly(run(path, "highlight", "424242", "x"), "no story with id 424242")


def test_exporting_again_into_a_folder_takes_the_next_free_name(
    db: tuple[Path, Built], tmp_path: Path
) -> None:
    path, _ = db
    folder = tmp_path / "exports"
    folder.mkdir()
    for _ in range(2):
        assert run(path, "export", "-f", "json", "-o", str(folder)).exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "byline-export-2.json",
        "byline-export.json",
    ]
    assert run(path, "export", "-f", "json", "-o", str(folder), "--force").exit_code == 0
    assert len(list(folder.iterdir())) == 2  # --force replaces the first name
