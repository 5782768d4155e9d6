"""The lossless JSON export (`"byline_export": 1`, documented in docs/export-schema.md) and
its importer, which merges a file into a library without making duplicates.

Records are keyed by what stays true between libraries, never by row ids: feeds by URL,
stories by feed URL + uid, tags by name, highlights by anchor (kind, exact text, prefix,
suffix), notes by body + creation time. Lists are sorted by those keys, so exporting,
importing into an empty library and exporting again gives the same file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from app import __version__
from app.export.errors import ExportError
from storage.models import Entry, Highlight, HighlightKind, Note, Story, TagSource

if TYPE_CHECKING:
    from storage import Library

SCHEMA_VERSION = 1
KEY = "byline_export"
TAG_SOURCES = ("user", "rule", "learned", "suggested")
HIGHLIGHT_KINDS = ("publisher", "summary", "user")


# -- export ----------------------------------------------------------------------------------


def _note_json(note: Note) -> dict[str, Any]:
    return {"body": note.body, "created": note.created, "updated": note.updated}


def _notes_sorted(notes: list[Note]) -> list[dict[str, Any]]:
    return [_note_json(n) for n in sorted(notes, key=lambda n: (n.created, n.body, n.updated))]


def _highlight_key(h: Highlight) -> tuple[Any, ...]:
    return (h.start < 0, h.start, h.end, h.kind, h.text, h.prefix, h.suffix, h.created)


def story_json(library: Library, story: Story, feed_url: str) -> dict[str, Any]:
    extras = library.story_extras(story.id)
    return {
        "feed": feed_url,
        "uid": story.uid,
        "url": story.url,
        "title": story.title,
        "author": story.author,
        "published": story.published,
        "updated": story.updated,
        "summary": story.summary,
        "text": story.text,
        "read": story.read,
        "saved": story.saved,
        "saved_at": extras.saved_at if story.saved else None,
        "analysis_version": story.analysis_version,
        "tags": [
            {
                "name": t.name,
                "source": t.source,
                "score": t.score,
                "created": extras.tag_created.get(t.name),
            }
            for t in sorted(story.tags, key=lambda t: (t.name.lower(), t.name))
        ],
        "removed_tags": [{"name": n, "created": c} for n, c in extras.removed_tags],
        "highlights": [
            {
                "start": h.start,
                "end": h.end,
                "text": h.text,
                "prefix": h.prefix,
                "suffix": h.suffix,
                "kind": h.kind,
                "note": h.note,
                "created": h.created,
                "notes": _notes_sorted([n for n in story.notes if n.highlight_id == h.id]),
            }
            for h in sorted(story.highlights, key=_highlight_key)
        ],
        "quotes": [
            {
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "speaker": q.speaker,
                "speaker_title": q.speaker_title,
                "partial": q.partial,
            }
            for q in sorted(story.quotes, key=lambda q: (q.start, q.end, q.text))
        ],
        "notes": _notes_sorted([n for n in story.notes if n.highlight_id is None]),
    }


def build_document(library: Library, stories: list[Story]) -> dict[str, Any]:
    """Everything about these stories, plus the feeds they came from, the tags they carry
    and every topic rule (rules belong to the library, not to one story)."""
    feeds = {f.id: f for f in library.list_feeds(feed_ids=sorted({s.feed_id for s in stories}))}
    story_docs = [story_json(library, s, feeds[s.feed_id].url) for s in stories]
    story_docs.sort(key=lambda d: (d["published"] or "", d["feed"], d["uid"]), reverse=True)
    used = {t["name"].lower() for d in story_docs for t in d["tags"] + d["removed_tags"]}
    tags = [
        {"name": t.name, "rule": t.rule or None, "created": t.created}
        for t in library.tag_records()
        if t.rule or t.name.lower() in used
    ]
    return {
        KEY: SCHEMA_VERSION,
        "generator": f"Byline {__version__}",
        "feeds": [
            {
                "url": f.url,
                "title": f.title,
                "site_url": f.site_url,
                "folder": f.folder,
                "tags": sorted(f.tags),
                "added": f.added,
            }
            for f in sorted(feeds.values(), key=lambda f: f.url)
        ],
        "tags": tags,
        "stories": story_docs,
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render(library: Library, stories: list[Story]) -> str:
    return dumps(build_document(library, stories))


# -- reading and checking a file ----------------------------------------------------------------


class _Malformed(Exception):
    pass


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Malformed(f"{where} must be an object")
    return value


def _list(parent: dict[str, Any], key: str, where: str) -> list[Any]:
    value = parent.get(key, [])
    if not isinstance(value, list):
        raise _Malformed(f"{where}.{key} must be a list")
    return value


def _text(parent: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = parent.get(key)
    if value is None:
        if required:
            raise _Malformed(f"{where}.{key} is missing")
        return None
    if not isinstance(value, str):
        raise _Malformed(f"{where}.{key} must be text")
    return value


def _req(parent: dict[str, Any], key: str, where: str) -> str:
    return cast(str, _text(parent, key, where, required=True))


def _int(parent: dict[str, Any], key: str, where: str, default: int | None = None) -> int:
    value = parent.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Malformed(f"{where}.{key} must be a whole number")
    return value


def _bool(parent: dict[str, Any], key: str, where: str) -> bool:
    value = parent.get(key, False)
    if not isinstance(value, bool):
        raise _Malformed(f"{where}.{key} must be true or false")
    return value


def _score(parent: dict[str, Any], key: str, where: str) -> float | None:
    value = parent.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Malformed(f"{where}.{key} must be a number")
    return float(value)


def _choice(parent: dict[str, Any], key: str, where: str, choices: tuple[str, ...]) -> str:
    value = _req(parent, key, where)
    if value not in choices:
        raise _Malformed(f"{where}.{key} must be one of {', '.join(choices)}")
    return value


def read_document(path: Path) -> dict[str, Any]:
    """The file's JSON, checked to be a Byline export this version can read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ExportError(f"{path} is not a Byline export (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise ExportError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return check_version(data, str(path))


def check_version(data: Any, name: str) -> dict[str, Any]:
    if not isinstance(data, dict) or KEY not in data:
        raise ExportError(
            f'{name} is not a Byline export (no "{KEY}" version); Byline imports its own '
            "JSON exports and OPML"
        )
    version = data[KEY]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ExportError(f'{name} is not a valid Byline export ("{KEY}" must be 1 or more)')
    if version > SCHEMA_VERSION:
        raise ExportError(
            f"{name} was written by a newer Byline (export version {version}; this Byline "
            f"reads up to {SCHEMA_VERSION}); upgrade Byline to import it"
        )
    return data


# -- import ----------------------------------------------------------------------------------


@dataclass(slots=True)
class ImportReport:
    feeds_added: int = 0
    feeds_known: int = 0
    stories_added: int = 0
    stories_merged: int = 0
    tags_added: int = 0
    highlights_added: int = 0
    notes_added: int = 0
    quotes_added: int = 0

    def summary(self) -> str:
        return (
            f"{_n(self.stories_added, 'new story', 'new stories')} "
            f"({self.stories_merged} already here), {_n(self.feeds_added, 'new feed')}, "
            f"{_n(self.tags_added, 'new tag')}; added {_n(self.highlights_added, 'highlight')}, "
            f"{_n(self.notes_added, 'note')}, {_n(self.quotes_added, 'quote')}"
        )


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def import_library(library: Library, path: str | Path) -> ImportReport:
    """Merge a Byline JSON export into `library`, all or nothing."""
    path = Path(path)
    document = read_document(path)
    try:
        plan = _check_document(document)
    except _Malformed as exc:
        raise ExportError(f"{path} is not a valid Byline export: {exc}") from None
    return _apply(library, plan)


def import_document(library: Library, document: Any, name: str = "the data") -> ImportReport:
    document = check_version(document, name)
    try:
        plan = _check_document(document)
    except _Malformed as exc:
        raise ExportError(f"{name} is not a valid Byline export: {exc}") from None
    return _apply(library, plan)


def _check_document(doc: dict[str, Any]) -> dict[str, Any]:
    """Check every field before anything is written; returns the document's parts."""
    feeds: dict[str, dict[str, Any]] = {}
    for i, raw in enumerate(_list(doc, "feeds", "file")):
        where = f"feeds[{i}]"
        feed = _obj(raw, where)
        url = _req(feed, "url", where)
        tags = _list(feed, "tags", where)
        if not all(isinstance(t, str) for t in tags):
            raise _Malformed(f"{where}.tags must be a list of text")
        feeds[url] = {
            "title": _text(feed, "title", where),
            "site_url": _text(feed, "site_url", where),
            "folder": _text(feed, "folder", where),
            "tags": tags,
            "added": _text(feed, "added", where),
        }
    tags = []
    for i, raw in enumerate(_list(doc, "tags", "file")):
        where = f"tags[{i}]"
        tag = _obj(raw, where)
        name = _req(tag, "name", where)
        if not name.strip():
            raise _Malformed(f"{where}.name is empty")
        tags.append(
            {
                "name": name,
                "rule": _text(tag, "rule", where),
                "created": _text(tag, "created", where),
            }
        )
    stories = []
    for i, raw in enumerate(_list(doc, "stories", "file")):
        stories.append(_check_story(_obj(raw, f"stories[{i}]"), f"stories[{i}]", feeds))
    return {"feeds": feeds, "tags": tags, "stories": stories}


def _check_notes(parent: dict[str, Any], where: str) -> list[dict[str, Any]]:
    notes = []
    for j, raw in enumerate(_list(parent, "notes", where)):
        w = f"{where}.notes[{j}]"
        note = _obj(raw, w)
        notes.append(
            {
                "body": _req(note, "body", w),
                "created": _req(note, "created", w),
                "updated": _text(note, "updated", w),
            }
        )
    return notes


def _check_story(story: dict[str, Any], where: str, feeds: dict[str, Any]) -> dict[str, Any]:
    feed = _req(story, "feed", where)
    if feed not in feeds:
        raise _Malformed(f"{where}.feed {feed!r} is not in the file's feeds")
    entry = Entry(
        uid=_req(story, "uid", where),
        title=_text(story, "title", where) or "",
        url=_text(story, "url", where),
        author=_text(story, "author", where),
        published=_text(story, "published", where),
        updated=_text(story, "updated", where),
        summary=_text(story, "summary", where) or "",
        text=_text(story, "text", where) or "",
    )
    tags = []
    for j, raw in enumerate(_list(story, "tags", where)):
        w = f"{where}.tags[{j}]"
        tag = _obj(raw, w)
        tags.append(
            {
                "name": _req(tag, "name", w),
                "source": _choice(tag, "source", w, TAG_SOURCES),
                "score": _score(tag, "score", w),
                "created": _text(tag, "created", w),
            }
        )
    removed = []
    for j, raw in enumerate(_list(story, "removed_tags", where)):
        w = f"{where}.removed_tags[{j}]"
        tag = _obj(raw, w)
        removed.append({"name": _req(tag, "name", w), "created": _text(tag, "created", w)})
    highlights = []
    for j, raw in enumerate(_list(story, "highlights", where)):
        w = f"{where}.highlights[{j}]"
        h = _obj(raw, w)
        exact = _req(h, "text", w)
        if not exact:
            raise _Malformed(f"{w}.text is empty")
        highlights.append(
            {
                "start": _int(h, "start", w, -1),
                "text": exact,
                "prefix": _text(h, "prefix", w) or "",
                "suffix": _text(h, "suffix", w) or "",
                "kind": _choice(h, "kind", w, HIGHLIGHT_KINDS),
                "note": _text(h, "note", w),
                "created": _text(h, "created", w),
                "notes": _check_notes(h, w),
            }
        )
    quotes = []
    for j, raw in enumerate(_list(story, "quotes", where)):
        w = f"{where}.quotes[{j}]"
        q = _obj(raw, w)
        quotes.append(
            {
                "start": _int(q, "start", w),
                "end": _int(q, "end", w),
                "text": _req(q, "text", w),
                "speaker": _text(q, "speaker", w),
                "speaker_title": _text(q, "speaker_title", w),
                "partial": _bool(q, "partial", w),
            }
        )
    return {
        "feed": feed,
        "entry": entry,
        "read": _bool(story, "read", where),
        "saved": _bool(story, "saved", where),
        "saved_at": _text(story, "saved_at", where),
        "analysis_version": _int(story, "analysis_version", where, 0),
        "tags": tags,
        "removed_tags": removed,
        "highlights": highlights,
        "quotes": quotes,
        "notes": _check_notes(story, where),
    }


def _apply(library: Library, plan: dict[str, Any]) -> ImportReport:
    report = ImportReport()
    feed_ids: dict[str, int] = {}
    with library.transaction():
        for url, feed in plan["feeds"].items():
            feed_id, created = library.merge_feed(url, **feed)
            feed_ids[url] = feed_id
            report.feeds_added += created
            report.feeds_known += not created
        for tag in plan["tags"]:
            report.tags_added += library.merge_tag(
                tag["name"], rule=tag["rule"], created=tag["created"]
            )
        for story in plan["stories"]:
            _apply_story(library, feed_ids[story["feed"]], story, report)
    return report


def _apply_story(
    library: Library, feed_id: int, story: dict[str, Any], report: ImportReport
) -> None:
    story_id, created = library.merge_story(
        feed_id,
        story["entry"],
        read=story["read"],
        saved=story["saved"],
        saved_at=story["saved_at"],
        analysis_version=story["analysis_version"],
    )
    report.stories_added += created
    report.stories_merged += not created
    for tag in story["tags"]:
        if library.tag_id(tag["name"]) is None:
            report.tags_added += 1
        library.merge_story_tag(
            story_id,
            tag["name"],
            source=cast(TagSource, tag["source"]),
            score=tag["score"],
            created=tag["created"],
        )
    for tag in story["removed_tags"]:
        library.merge_tag_removal(story_id, tag["name"], created=tag["created"])
    for h in story["highlights"]:
        highlight_id, added = library.merge_highlight(
            story_id,
            start=h["start"],
            exact=h["text"],
            prefix=h["prefix"],
            suffix=h["suffix"],
            kind=cast(HighlightKind, h["kind"]),
            note=h["note"],
            created=h["created"],
        )
        report.highlights_added += added
        for note in h["notes"]:
            report.notes_added += library.merge_note(
                story_id,
                note["body"],
                created=note["created"],
                updated=note["updated"],
                highlight_id=highlight_id,
            )
    for q in story["quotes"]:
        report.quotes_added += library.merge_quote(story_id, **q)
    for note in story["notes"]:
        report.notes_added += library.merge_note(
            story_id, note["body"], created=note["created"], updated=note["updated"]
        )
