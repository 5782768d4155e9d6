"""How often Byline's stored story agrees with feedparser's own test suite.

Each file of ../shared/corpora/feedparser-tests/wellformed carries `Expect:` lines, Python
expressions over feedparser's result. The ones that test a field Byline stores (an entry's
title, link, summary or content, author, dates, guid) are read here without running them:
the expected value is taken from the comparison and set against the story Byline stored
after a real refresh of the file. Byline stores plain text, so HTML in an expected value is
compared through Byline's own cleaner, and whitespace is collapsed on both sides.

Used by tests/reliability/test_feedparser_expect.py and bench/feedparser_agreement.py.
"""

from __future__ import annotations

import ast
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.ingest.clean import html_to_text, safe_text
from storage import Library
from storage.models import Entry, Story

# feedparser key path (after entries[i]) -> the field of a Byline story it tests.
FIELDS: dict[tuple[Any, ...], str] = {
    ("title",): "title",
    ("title_detail", "value"): "title",
    ("link",): "link",
    ("summary",): "body",
    ("description",): "body",
    ("summary_detail", "value"): "body",
    ("content", 0, "value"): "body",
    ("author",): "author",
    ("author_detail", "name"): "author",
    ("authors", 0, "name"): "author",
    ("published_parsed",): "published",
    ("issued_parsed",): "published",
    ("updated_parsed",): "updated",
    ("modified_parsed",): "updated",
    ("id",): "guid",
    ("guid",): "guid",
}
_EXPECT = re.compile(r"^Expect:\s*(.+)$", re.M)


@dataclass(frozen=True)
class Expectation:
    path: Path
    entry: int
    field: str
    expected: Any
    key: tuple[Any, ...]


@dataclass
class Agreement:
    """Per field: expectations checked, those Byline's stored story agrees with, and those
    about an entry Byline keeps no story for (no title, link or text: an item holding only
    an author, a date or a guid, or a body that cleans to nothing)."""

    checked: Counter[str] = field(default_factory=Counter)
    agreed: Counter[str] = field(default_factory=Counter)
    not_stored: Counter[str] = field(default_factory=Counter)
    parsed_agreed: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[Expectation, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.checked.values())

    @property
    def total_agreed(self) -> int:
        return sum(self.agreed.values())

    @property
    def total_not_stored(self) -> int:
        return sum(self.not_stored.values())

    @property
    def on_stored(self) -> int:
        """Expectations about an entry Byline did store."""
        return self.total - self.total_not_stored

    def lines(self) -> list[str]:
        pct = 100 * self.total_agreed / max(1, self.on_stored)
        parsed = sum(self.parsed_agreed.values())
        out = [
            f"{self.total} expectations test a field Byline stores; {self.total_not_stored} "
            f"are about entries Byline keeps no story for (no title, link or text)",
            f"of the {self.on_stored} about stored stories, {self.total_agreed} agree ({pct:.1f}%)",
            f"of the {self.total_not_stored} about entries not kept, Byline's parse of the entry "
            f"agrees with {parsed}",
            f"  {'field':<10} {'agree':>5} {'stored':>6} {'not kept':>8} {'parse agrees':>12}",
        ]
        for name in sorted(self.checked):
            stored = self.checked[name] - self.not_stored[name]
            out.append(
                f"  {name:<10} {self.agreed[name]:>5} {stored:>6} {self.not_stored[name]:>8} "
                f"{self.parsed_agreed[name]:>12}"
            )
        return out


def _literal(node: ast.AST) -> Any:
    """A constant, a tuple or list of them, or strings joined with + (as the suite writes
    them); anything else is not read (ValueError)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple | ast.List):
        return tuple(_literal(e) for e in node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal(node.left) + _literal(node.right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_literal(node.operand)
    raise ValueError("not a literal")


def _entry_key(node: ast.AST) -> tuple[int, tuple[Any, ...]] | None:
    """entries[i][k1][k2]... as (i, (k1, k2, ...)), else None."""
    keys: list[Any] = []
    while isinstance(node, ast.Subscript):
        try:
            keys.append(_literal(node.slice))
        except ValueError:
            return None
        node = node.value
    if not (isinstance(node, ast.Name) and node.id == "entries" and keys):
        return None
    keys.reverse()
    if not isinstance(keys[0], int):
        return None
    return keys[0], tuple(keys[1:])


def expectations(path: Path) -> list[Expectation]:
    head = path.read_bytes()[:8192].decode("utf-8", "replace")
    found = []
    for text in _EXPECT.findall(head):
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
                continue
            if not isinstance(node.ops[0], ast.Eq):
                continue
            where = _entry_key(node.left)
            if where is None or where[1] not in FIELDS:
                continue
            try:
                expected = _literal(node.comparators[0])
            except ValueError:
                continue
            index, key = where
            found.append(Expectation(path, index, FIELDS[key], expected, key))
    return found


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


def _as_text(value: str) -> str:
    return _flat(html_to_text(value))


def _iso(value: tuple[int, ...]) -> str | None:
    try:
        return datetime(*value[:6], tzinfo=UTC).isoformat(timespec="seconds")
    except (TypeError, ValueError):
        return None


def agrees(exp: Expectation, story: Story) -> bool:
    want = exp.expected
    if exp.field == "title":
        return isinstance(want, str) and story.title in (safe_text(want), _as_text(want))
    if exp.field == "link":
        return story.url == (want or None)
    if exp.field == "body":
        if not isinstance(want, str):
            return False
        have = {_flat(story.text), _flat(story.summary)}
        return _as_text(want) in have or _flat(want) in have
    if exp.field == "author":
        names = [n.strip() for n in (story.author or "").split(",")]
        return isinstance(want, str) and (safe_text(want) in names or story.author == want)
    if exp.field in ("published", "updated"):
        stamp = _iso(want) if isinstance(want, tuple) else None
        return stamp is not None and stamp in (story.published, story.updated)
    if exp.field == "guid":
        return isinstance(want, str) and story.uid == safe_text(want)
    raise AssertionError(exp.field)


def _byline_entries(data: bytes) -> list[tuple[str | None, Entry | None]]:
    """For each of feedparser's entries, in its order: the uid of the story Byline stores for
    it (None where Byline keeps none: no title, link or text), and the Entry Byline's parser
    makes of it given a placeholder title, so fields of entries it does not keep (an item
    holding only an author or a date) can be compared too."""
    import feedparser

    from app.ingest.parse import _defuse_entities, _entry

    parsed: Any = feedparser.parse(
        io.BytesIO(_defuse_entities(data)), sanitize_html=False, resolve_relative_uris=False
    )
    out: list[tuple[str | None, Entry | None]] = []
    for raw in parsed.get("entries") or []:
        entry = _entry(raw)
        if entry is not None:
            out.append((entry.uid, entry))
            continue
        raw["title"] = "placeholder"
        out.append((None, _entry(raw)))
    return out


def _as_story(entry: Entry) -> Story:
    # As storage would keep it: a story's date is its published date, else its updated one.
    return Story(
        id=0, feed_id=0, feed_title="", uid=entry.uid, title=entry.title, url=entry.url,
        author=entry.author, published=entry.published or entry.updated, updated=entry.updated,
        summary=entry.summary, text=entry.text, read=False, saved=False,
    )  # fmt: skip


def measure(library: Library, files: list[Path]) -> Agreement:
    """Compare every readable expectation of `files` with what `library` stored for them
    (each file subscribed as a local feed and refreshed)."""
    result = Agreement()
    for path in files:
        wanted = expectations(path)
        if not wanted:
            continue
        feed = library.find_feed(str(path))
        stories = {}
        for row in library.list_stories(feed_id=feed.id, limit=None):
            story = library.get_story(row.id)
            stories[story.uid] = story
        entries = _byline_entries(path.read_bytes())
        for exp in wanted:
            result.checked[exp.field] += 1
            uid, entry = entries[exp.entry] if exp.entry < len(entries) else (None, None)
            story = stories.get(uid) if uid is not None else None
            if story is None:
                result.not_stored[exp.field] += 1
                if entry is not None and agrees(exp, _as_story(entry)):
                    result.parsed_agreed[exp.field] += 1
            elif agrees(exp, story):
                result.agreed[exp.field] += 1
            else:
                result.misses.append((exp, _stored(exp, story)))
    return result


def _stored(exp: Expectation, story: Story) -> Any:
    return {
        "title": story.title,
        "link": story.url,
        "body": story.text or story.summary,
        "author": story.author,
        "published": story.published,
        "updated": story.updated,
        "guid": story.uid,
    }[exp.field]


def wellformed_files(corpora: Path) -> list[Path]:
    folder = corpora / "feedparser-tests" / "wellformed"
    return [p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix != ".opml"]
