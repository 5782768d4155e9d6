"""The analysis pipeline: quotes, highlights and topics for a story, stored with a version.

    analyse_text(text, title=...)         -> StoryAnalysis   (pure: nothing stored)
    analyse_stories(library, story_ids)   -> AnalysisReport  (new and changed stories)
    analyse_pending(library)              -> AnalysisReport  (everything below ANALYSIS_VERSION)
    ensure_analysed(library, story)       -> Story           (one story, now, if it is behind)
    apply_topic_rule(library, name)       -> int             (a rule added or changed)

app/update.py calls analyse_stories after each refresh (CLI, demo and the reader, in a worker).
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from app.analysis.duplicates import index_story, store_signature
from app.analysis.highlights import HighlightSpan, find_highlights
from app.analysis.quotes import QuoteSpan, extract_quotes
from app.analysis.topics.rules import Rule, RuleDocument, RuleError, compile_rule
from app.analysis.topics.suggested import suggest_topics
from app.analysis.version import ANALYSIS_VERSION
from app.workers import process_pool
from storage.models import Quote, TagSource

AUTOMATIC_SOURCES: tuple[TagSource, ...] = ("rule", "learned", "suggested")
BATCH = 200
SLICE = 25  # stories per task sent to a worker process
POOL_MIN_STORIES = 400
"""From this many stories on, analysis runs in worker processes (starting them costs about
a fifth of a second; below this the workers would not pay it back)."""

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class TopicScore:
    name: str
    score: float | None
    source: TagSource


@dataclass(slots=True)
class StoryAnalysis:
    title: str
    text: str  # the body all offsets refer to (a publisher block taken out)
    quotes: list[QuoteSpan] = field(default_factory=list)
    highlights: list[HighlightSpan] = field(default_factory=list)
    topics: list[TopicScore] = field(default_factory=list)
    block_removed: bool = False

    def to_json(self, source: str) -> dict[str, Any]:
        """The `byline analyze --json` shape."""
        return {
            "source": source,
            "title": self.title,
            "text": self.text,
            "quotes": [
                {
                    "text": q.text,
                    "speaker": q.speaker,
                    "speaker_title": q.speaker_title,
                    "start": q.start,
                    "end": q.end,
                    "partial": q.partial,
                }
                for q in self.quotes
            ],
            "highlights": [
                {"text": h.text, "start": h.start, "end": h.end, "kind": h.kind}
                for h in self.highlights
            ],
            "topics": [{"name": t.name, "score": t.score, "source": t.source} for t in self.topics],
        }


@dataclass(slots=True)
class AnalysisReport:
    analysed: int = 0
    failed: list[int] = field(default_factory=list)
    quotes: int = 0
    highlights: int = 0
    topics: int = 0
    blocks_removed: int = 0


def load_rules(library: Any) -> list[tuple[str, Rule]]:
    """The library's topic rules, compiled; a rule stored before it was checked is skipped."""
    return _compile_rules([(t.name, t.rule or "") for t in library.topics()])


def _compile_rules(rules: Sequence[tuple[str, str]]) -> list[tuple[str, Rule]]:
    out = []
    for name, rule in rules:
        try:
            out.append((name, compile_rule(rule)))
        except RuleError as exc:
            log.warning("topic %r has a rule that cannot be read: %s", name, exc)
    return out


def analyse_text(
    text: str,
    *,
    title: str = "",
    publisher_items: Sequence[str] | None = None,
    rules: Sequence[tuple[str, Rule]] = (),
    learned: Any = None,
    story_id: int | None = None,
) -> StoryAnalysis:
    """Analyse one story's text. `publisher_items` are highlight bullets already known (from
    the page's HTML, or kept from an earlier analysis after the block left the body)."""
    found = find_highlights(text, title=title, publisher_items=list(publisher_items or []))
    body = found.text
    result = StoryAnalysis(title=title, text=body, highlights=found.highlights)
    result.block_removed = found.block_removed
    result.quotes = extract_quotes(body)
    topics: dict[str, TopicScore] = {}
    if rules:
        doc = RuleDocument(title, body)
        for name, rule in rules:
            if rule.matches(doc):
                topics[name.lower()] = TopicScore(name, 1.0, "rule")
    if learned is not None:
        for name, score, source in learned.classify(title, body, story_id):
            topics.setdefault(name.lower(), TopicScore(name, score, source))
    for s in suggest_topics(title, body):
        topics.setdefault(s.name.lower(), TopicScore(s.name, s.score, "suggested"))
    result.topics = list(topics.values())
    return result


def _learned_model(library: Any) -> Any:
    from app.analysis.topics.learned import LearnedTopics

    model = LearnedTopics.from_library(library)
    return model if model.tags else None


def analyse_stories(
    library: Any, story_ids: Iterable[int], progress: Progress | None = None
) -> AnalysisReport:
    """Analyse and store: quotes, highlights (a publisher block leaves the body), rule,
    learned and suggested topics, duplicate signatures; then mark the analysis version.

    Many stories are analysed in worker processes (one per core) while this process stores
    the results of the batch before; a few, or where workers cannot start, here.
    A story whose analysis fails is logged and left at its old version; the rest go on."""
    ids = list(dict.fromkeys(story_ids))
    report = AnalysisReport()
    if not ids:
        return report
    rules = [(t.name, t.rule or "") for t in library.topics()]
    learned = _learned_model(library)
    chunks = [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]
    with _Analysts(len(ids), rules, learned) as analysts:
        pending = analysts.submit(_jobs(library, chunks[0]))
        for n in range(len(chunks)):
            results = pending.results()
            if n + 1 < len(chunks):  # the workers go on while this batch is stored
                pending = analysts.submit(_jobs(library, chunks[n + 1]))
            _store_batch(library, results, report)
            if progress is not None:
                progress(report.analysed + len(report.failed), len(ids))
    return report


Job = tuple[int, str, str, list[str]]  # story id, title, text, publisher items known
# story id, original text, analysis (None: failed), duplicate signature (False: work it
# out when storing), error
Done = tuple[int, str, StoryAnalysis | None, list[int] | bool | None, str | None]


def _jobs(library: Any, chunk: list[int]) -> list[Job]:
    texts = library.story_texts(chunk)
    jobs = []
    for sid in chunk:
        if sid in texts:
            title, text = texts[sid]
            known = [h.text for h in library.highlights(sid) if h.kind == "publisher"]
            jobs.append((sid, title, text, known))
    return jobs


_worker_rules: list[tuple[str, Rule]] = []
_worker_learned: Any = None


def _prepare(rules: Sequence[tuple[str, str]], learned: Any) -> None:
    """Set up an analysis worker process: rules travel as text (compiled rules hold
    closures); they and the learned model stay for every task the worker runs."""
    global _worker_rules, _worker_learned
    _worker_rules = _compile_rules(rules)
    _worker_learned = learned


def _analyse_in_worker(jobs: list[Job]) -> list[Done]:
    return _analyse_jobs(jobs, _worker_rules, _worker_learned)


def _analyse_jobs(jobs: list[Job], rules: Sequence[tuple[str, Rule]], learned: Any) -> list[Done]:
    from app.analysis.duplicates import story_signature

    out: list[Done] = []
    for sid, title, text, known in jobs:
        try:
            result = analyse_text(
                text,
                title=title,
                publisher_items=known or None,
                rules=rules,
                learned=learned,
                story_id=sid,
            )
            # An empty body is judged on the summary, which the library has: done there.
            signature = story_signature(title, result.text) if result.text else False
            out.append((sid, text, result, signature, None))
        except Exception:
            out.append((sid, text, None, None, traceback.format_exc()))
    return out


class _Pending:
    def __init__(self, analysts: _Analysts, jobs: list[Job]) -> None:
        self.analysts = analysts
        self.jobs = jobs
        self.futures: list[Any] = []
        if analysts.pool is not None:
            try:
                self.futures = [
                    analysts.pool.submit(_analyse_in_worker, jobs[i : i + SLICE])
                    for i in range(0, len(jobs), SLICE)
                ]
            except (OSError, ValueError, BrokenProcessPool):
                analysts.broken()

    def results(self) -> list[Done]:
        if self.futures:
            try:
                return [done for future in self.futures for done in future.result()]
            except BrokenProcessPool:  # a worker died (killed, out of memory): go on here
                self.analysts.broken()
        return _analyse_jobs(self.jobs, self.analysts.rules, self.analysts.learned)


class _Analysts:
    """Where analysis runs: worker processes, or this process (see _Parsers in ingest)."""

    def __init__(self, stories: int, rules: list[tuple[str, str]], learned: Any) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.rules = _compile_rules(rules)  # for work done in this process
        self.learned = learned
        cpus = os.cpu_count() or 1
        if stories >= POOL_MIN_STORIES and cpus >= 2:
            try:
                self.pool = process_pool(min(cpus, 8), _prepare, (rules, learned))
            except (OSError, ValueError):
                self.pool = None

    def submit(self, jobs: list[Job]) -> _Pending:
        return _Pending(self, jobs)

    def broken(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None

    def __enter__(self) -> _Analysts:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _store_batch(library: Any, results: list[Done], report: AnalysisReport) -> None:
    """One transaction for the batch, a savepoint per story: a story that cannot be stored
    is rolled back alone."""
    with library.transaction():
        for sid, original, result, signature, error in results:
            if result is None:
                log.error("analysis of story %s failed\n%s", sid, error)
                report.failed.append(sid)
                continue
            try:
                with library.savepoint():
                    _store(library, sid, original, result, signature)
            except Exception:
                log.exception("storing the analysis of story %s failed", sid)
                report.failed.append(sid)
                continue
            report.analysed += 1
            report.quotes += len(result.quotes)
            report.highlights += len(result.highlights)
            report.topics += len(result.topics)
            report.blocks_removed += int(result.block_removed)


def _store(
    library: Any,
    sid: int,
    original: str,
    result: StoryAnalysis,
    signature: list[int] | bool | None = False,
) -> None:
    with library.transaction():
        if result.text != original:
            library.set_story_text(sid, result.text)
        library.store_quotes(
            sid,
            [
                Quote(0, sid, q.start, q.end, q.text, q.speaker, q.speaker_title, q.partial)
                for q in result.quotes
            ],
        )
        library.replace_generated_highlights_labelled(
            sid,
            [
                (h.start, h.end, h.kind, h.text if h.kind == "publisher" else None)
                for h in result.highlights
            ],
        )
        library.clear_automatic_tags(sid, AUTOMATIC_SOURCES)
        for topic in result.topics:
            library.tag_story(sid, topic.name, topic.source, topic.score)
        if isinstance(signature, bool):
            index_story(library, sid)
        else:
            store_signature(library, sid, signature)
        library.set_analysis_version(sid, ANALYSIS_VERSION)


def analyse_pending(library: Any, progress: Progress | None = None) -> AnalysisReport:
    """Analyse every story below ANALYSIS_VERSION (after an upgrade, or ones never done), in
    one run, so the worker processes start once."""
    return analyse_stories(
        library, library.stories_to_analyse(ANALYSIS_VERSION, limit=-1), progress=progress
    )


def ensure_analysed(library: Any, story: Any) -> Any:
    """The story, analysed now if a refresh left it for later or an upgrade made its
    analysis stale (`byline show`, and the reader when a story is opened)."""
    if story.analysis_version >= ANALYSIS_VERSION:
        return story
    analyse_stories(library, [story.id])
    return library.get_story(story.id)


def apply_topic_rule(library: Any, name: str) -> int:
    """Put a topic on every story its rule matches (and off those it no longer matches).
    Returns how many stories carry it from the rule."""
    tag = next((t for t in library.topics() if t.name.lower() == name.lower()), None)
    if tag is None or not tag.rule:
        return 0
    rule = compile_rule(tag.rule)
    had = set(library.stories_tagged(tag.name, ("rule",)))
    matched = 0
    ids = library.story_ids()
    with library.transaction():
        for i in range(0, len(ids), 500):
            texts = library.story_texts(ids[i : i + 500])
            for sid, (title, text) in texts.items():
                if rule.matches(RuleDocument(title, text)):
                    library.tag_story(sid, tag.name, "rule", 1.0)
                    matched += 1
                elif sid in had:
                    _drop_rule_tag(library, sid, tag.name)
    return matched


def _drop_rule_tag(library: Any, sid: int, name: str) -> None:
    """A rule no longer matching takes its tag off, without recording a user removal."""
    keep = [
        t for t in library.story_tags(sid) if t.source == "rule" and t.name.lower() != name.lower()
    ]
    library.clear_automatic_tags(sid, ("rule",))
    for t in keep:
        library.tag_story(sid, t.name, "rule", t.score)
