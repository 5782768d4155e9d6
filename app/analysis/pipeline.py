"""The analysis pipeline: quotes, highlights and topics for a story, stored with a version.

    analyse_text(text, title=...)         -> StoryAnalysis   (pure: nothing stored)
    analyse_stories(library, story_ids)   -> AnalysisReport  (new and changed stories)
    analyse_pending(library)              -> AnalysisReport  (everything below ANALYSIS_VERSION)
    apply_topic_rule(library, name)       -> int             (a rule added or changed)

app/update.py calls analyse_stories after each refresh (CLI, demo and the reader, in a worker).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.analysis.duplicates import index_story
from app.analysis.highlights import HighlightSpan, find_highlights
from app.analysis.quotes import QuoteSpan, extract_quotes
from app.analysis.topics.rules import Rule, RuleDocument, RuleError, compile_rule
from app.analysis.topics.suggested import suggest_topics
from storage.models import Quote, TagSource

# Raise when what analysis produces changes, so `byline reanalyze` redoes old stories.
ANALYSIS_VERSION = 1
AUTOMATIC_SOURCES: tuple[TagSource, ...] = ("rule", "learned", "suggested")
BATCH = 200

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
    out = []
    for topic in library.topics():
        try:
            out.append((topic.name, compile_rule(topic.rule)))
        except RuleError as exc:
            log.warning("topic %r has a rule that cannot be read: %s", topic.name, exc)
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

    A story whose analysis fails is logged and left at its old version; the rest go on."""
    ids = list(dict.fromkeys(story_ids))
    report = AnalysisReport()
    if not ids:
        return report
    rules = load_rules(library)
    learned = _learned_model(library)
    for i in range(0, len(ids), BATCH):
        chunk = ids[i : i + BATCH]
        texts = library.story_texts(chunk)
        for sid in chunk:
            if sid not in texts:
                continue
            title, text = texts[sid]
            try:
                known = [h.text for h in library.highlights(sid) if h.kind == "publisher"]
                result = analyse_text(
                    text,
                    title=title,
                    publisher_items=known or None,
                    rules=rules,
                    learned=learned,
                    story_id=sid,
                )
                _store(library, sid, text, result)
            except Exception:
                log.exception("analysis of story %s failed", sid)
                report.failed.append(sid)
                continue
            report.analysed += 1
            report.quotes += len(result.quotes)
            report.highlights += len(result.highlights)
            report.topics += len(result.topics)
            report.blocks_removed += int(result.block_removed)
            if progress is not None:
                progress(report.analysed + len(report.failed), len(ids))
    return report


def _store(library: Any, sid: int, original: str, result: StoryAnalysis) -> None:
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
        index_story(library, sid)
        library.set_analysis_version(sid, ANALYSIS_VERSION)


def analyse_pending(library: Any, progress: Progress | None = None) -> AnalysisReport:
    """Analyse every story below ANALYSIS_VERSION (after an upgrade, or ones never done)."""
    total = AnalysisReport()
    tried: set[int] = set()
    while True:
        batch = [sid for sid in library.stories_to_analyse(ANALYSIS_VERSION) if sid not in tried]
        if not batch:
            return total
        tried.update(batch)
        report = analyse_stories(library, batch)
        total.analysed += report.analysed
        total.failed += report.failed
        total.quotes += report.quotes
        total.highlights += report.highlights
        total.topics += report.topics
        total.blocks_removed += report.blocks_removed
        if progress is not None:
            progress(len(tried), len(tried) + len(library.stories_to_analyse(ANALYSIS_VERSION)))


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
