"""Analysis in worker processes stores exactly what analysis in one process stores.

Two copies of one library (the demo's 21 stories, a topic rule, a tag put on by hand three
times so the learned model has something to carry) are analysed, one with the workers forced
on, one with them off; every stored result must be the same.
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from app.analysis import pipeline
from app.config import load_settings
from app.demo import subscribe_demo
from app.ingest.refresh import refresh_sync
from storage import Library, open_library

RESULTS = {
    "quotes": 'SELECT story_id, start, "end", text, speaker, speaker_title, partial FROM quotes',
    "highlights": 'SELECT story_id, start, "end", kind, text FROM highlights',
    "tags": "SELECT story_id, tag_id, source, round(score, 6) FROM story_tags",
    "signatures": "SELECT story_id, cluster_id FROM story_signatures",
    "texts": "SELECT id, text, analysis_version FROM stories",
}


def _demo_library(path: Path) -> Library:
    library = open_library(path)
    subscribe_demo(library)
    report = refresh_sync(library, load_settings(path.parent / "none.toml", env={}))
    assert report.stories_new >= 20
    ids = [r[0] for r in library.conn.execute("SELECT id FROM stories ORDER BY id")]
    library.set_topic_rule("Skerran air", '"Skerran Sea" OR aircraft OR jets')
    for sid in ids[:3]:
        library.tag_story(sid, "watch")
    return library


def _stored(library: Library) -> dict[str, list[tuple[object, ...]]]:
    return {
        name: sorted(tuple(row) for row in library.conn.execute(query))
        for name, query in RESULTS.items()
    }


def test_workers_store_what_one_process_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _demo_library(tmp_path / "a.db")
    ids = [r[0] for r in first.conn.execute("SELECT id FROM stories ORDER BY id")]
    first.close()
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")

    monkeypatch.setattr(pipeline, "POOL_MIN_STORIES", 1)
    monkeypatch.setattr(pipeline, "SLICE", 4)  # several tasks per batch
    monkeypatch.setattr(pipeline, "BATCH", 8)  # several batches: the next one is in flight
    with open_library(tmp_path / "a.db") as library:
        with pipeline._Analysts(len(ids), [], None) as analysts:
            assert analysts.pool is not None, "the workers did not start"
        pooled = pipeline.analyse_stories(library, ids)
        with_workers = _stored(library)

    monkeypatch.setattr(pipeline, "POOL_MIN_STORIES", 10**9)
    with open_library(tmp_path / "b.db") as library:
        alone = pipeline.analyse_stories(library, ids)
        in_process = _stored(library)

    assert pooled.analysed == alone.analysed == len(ids) and not pooled.failed
    assert (pooled.quotes, pooled.highlights, pooled.topics) == (
        alone.quotes,
        alone.highlights,
        alone.topics,
    )
    assert with_workers["quotes"] and with_workers["signatures"]
    assert any(row[2] == "rule" for row in with_workers["tags"]), "rules reached no worker"
    assert with_workers == in_process


def test_a_story_that_cannot_be_stored_is_rolled_back_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = _demo_library(tmp_path / "a.db")
    ids = [r[0] for r in library.conn.execute("SELECT id FROM stories ORDER BY id")]
    bad = ids[4]
    real_store_quotes = library.store_quotes

    def store_quotes(story_id: int, quotes: object) -> None:
        real_store_quotes(story_id, quotes)  # type: ignore[arg-type]
        if story_id == bad:
            raise RuntimeError("disk trouble")

    monkeypatch.setattr(library, "store_quotes", store_quotes)
    report = pipeline.analyse_stories(library, ids)
    assert report.failed == [bad]
    assert report.analysed == len(ids) - 1
    versions = dict(library.conn.execute("SELECT id, analysis_version FROM stories"))
    assert versions[bad] == 0
    assert all(versions[sid] == pipeline.ANALYSIS_VERSION for sid in ids if sid != bad)
    # Its quotes were written before the failure and went with the savepoint.
    assert not library.conn.execute("SELECT 1 FROM quotes WHERE story_id = ?", (bad,)).fetchall()
    library.close()


class _CapturedStderr(io.StringIO):
    """stderr as the reader has it: Textual's capture, with no file descriptor."""

    def fileno(self) -> int:
        return -1


def test_analysis_runs_in_workers_inside_the_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = _demo_library(tmp_path / "a.db")
    ids = [r[0] for r in library.conn.execute("SELECT id FROM stories ORDER BY id")]
    monkeypatch.setattr(pipeline, "POOL_MIN_STORIES", 1)
    monkeypatch.setattr(sys, "stderr", _CapturedStderr())
    with pipeline._Analysts(len(ids), [], None) as analysts:
        assert analysts.pool is not None
        pending = analysts.submit([(ids[0], "A title", "Some text to read.", [])])
        assert analysts.pool is not None, "the workers did not start"
        assert [done[0] for done in pending.results()] == [ids[0]]
    report = pipeline.analyse_stories(library, ids)
    assert report.analysed == len(ids) and not report.failed
    library.close()
