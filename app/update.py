"""Bring the library up to date: refresh feeds, fetch full text where wanted, analyse.

The one sequence the CLI (`byline refresh`) and the reader both run, so a story is handled
the same way whichever way it arrived. Stories are stored (and searchable) as soon as the
refresh step ends; full text and analysis follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from app.ingest.refresh import Progress, RefreshReport, refresh_sync
from storage.library import Library
from storage.models import Feed

AnalysisProgress = Callable[[int, int], None]
Stage = Callable[[str], None]


@dataclass(slots=True)
class UpdateReport:
    refresh: RefreshReport
    full_text_stored: int = 0
    full_text_failed: list[tuple[int, str]] = field(default_factory=list)
    analysed: int = 0
    analysis_failed: list[int] = field(default_factory=list)

    @property
    def changed_ids(self) -> list[int]:
        return [i for r in self.refresh.results for i in (*r.new_ids, *r.updated_ids)]

    def analysis_line(self) -> str:
        noun = "story" if self.analysed == 1 else "stories"
        parts = [f"analysed {self.analysed} {noun}"]
        if self.full_text_stored:
            parts.append(f"full text for {self.full_text_stored}")
        if self.analysis_failed:
            parts.append(f"{len(self.analysis_failed)} could not be analysed")
        return "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        data = self.refresh.to_json()
        data["full_text"] = {
            "stored": self.full_text_stored,
            "failed": [{"id": i, "error": e} for i, e in self.full_text_failed],
        }
        data["analysis"] = {"analysed": self.analysed, "failed": self.analysis_failed}
        return data


def _wants_any_full_text(library: Library, settings: Any, feeds: list[Feed] | None) -> bool:
    if settings.full_text:
        return True
    chosen = set(library.feeds_wanting_full_text())
    return bool(chosen) and (feeds is None or any(f.id in chosen for f in feeds))


def update_library(
    library: Library,
    settings: Any,
    feeds: Iterable[Feed | int | str] | None = None,
    *,
    progress: Progress | None = None,
    analyse: bool = True,
    analysis_progress: AnalysisProgress | None = None,
    stage: Stage | None = None,
) -> UpdateReport:
    """Refresh, then full text for summary-only stories (when switched on), then analysis of
    the new and changed stories. Per-feed and per-story failures are reported, not raised."""
    chosen = None if feeds is None else list(feeds)
    report = UpdateReport(refresh_sync(library, settings, chosen, progress=progress))
    changed = report.changed_ids
    if not changed:
        return report
    resolved = None if chosen is None else [f for f in chosen if isinstance(f, Feed)] or None
    if _wants_any_full_text(library, settings, resolved):
        from app.analysis.fulltext import fetch_full_text_sync

        if stage is not None:
            stage(f"fetching full text for up to {len(changed)} stories")
        for result in fetch_full_text_sync(library, changed, settings):
            if result.outcome == "stored":
                report.full_text_stored += 1
            elif result.outcome == "error":
                report.full_text_failed.append((result.story_id, result.detail))
    if analyse:
        from app.analysis.pipeline import analyse_stories

        if stage is not None:
            stage(f"analysing {len(changed)} stories")
        analysis = analyse_stories(library, changed, progress=analysis_progress)
        report.analysed = analysis.analysed
        report.analysis_failed = list(analysis.failed)
    return report
