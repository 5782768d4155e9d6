"""The query language shared by `byline stories --query` and the reader's `/` search.

    free words          full-text search over title, author and text (FTS5); "a phrase"; pre*
    tag:NAME            stories carrying a tag or topic (any source but suggested)
    feed:NAME           stories of a feed, by title (substring) or URL
    is:unread|read|saved|annotated
    speaker:"NAME"      stories quoting someone (substring of the speaker's name)
    since:7d|24h|2w|2024-01-01   before:2024-01-01
    -term, -tag:x ...   negate any of the above

Everything is parameterised: no part of a query is pasted into SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


class QueryError(ValueError):
    """A query a person typed cannot be understood; the message says why."""


TOKEN = re.compile(r'(-?)(?:([a-zA-Z]+):)?(?:"([^"]*)"?|(\S+))')
KEYS = {"tag", "feed", "is", "speaker", "since", "before"}
RELATIVE = re.compile(r"^(\d+)([hdwmy])$")
UNITS = {"h": 1 / 24, "d": 1, "w": 7, "m": 30, "y": 365}
TAGGED = (
    "s.id IN (SELECT st.story_id FROM story_tags st JOIN tags t ON t.id = st.tag_id "
    "WHERE t.name = ? COLLATE NOCASE AND st.source != 'suggested')"
)
"""Stories carrying a tag (any source but suggested); one parameter, the tag's name."""


@dataclass
class Compiled:
    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)
    match: str | None = None  # an FTS5 MATCH expression, when there is free text

    def sql(self) -> tuple[str, list[object]]:
        clauses = list(self.where)
        params = list(self.params)
        if self.match:
            clauses.insert(0, "s.id IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)")
            params.insert(0, self.match)
        return (" AND ".join(clauses) or "1"), params


def _fts_term(word: str, phrase: bool) -> str:
    prefix = word.endswith("*") and not phrase
    core = word.rstrip("*") if prefix else word
    core = core.replace('"', '""')
    if not core.strip():
        return ""
    return f'"{core}"' + ("*" if prefix else "")


def parse_date(value: str, *, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    rel = RELATIVE.match(value)
    if rel:
        return (now - timedelta(days=int(rel.group(1)) * UNITS[rel.group(2)])).isoformat(
            timespec="seconds"
        )
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise QueryError(
            f"cannot read the date {value!r}: use 7d, 24h, 2w or a date such as 2024-01-01"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def compile_query(query: str, *, now: datetime | None = None) -> Compiled:
    out = Compiled()
    fts_positive: list[str] = []
    fts_negative: list[str] = []
    for m in TOKEN.finditer(query):
        negate, key, quoted, bare = m.group(1) == "-", m.group(2), m.group(3), m.group(4)
        value = quoted if quoted is not None else (bare or "")
        if key and key.lower() not in KEYS:
            # Not a filter we know (a URL, "10:30"): search it as text.
            value, key = f"{key}:{value}", None
        if key is None:
            term = _fts_term(value, phrase=quoted is not None)
            if term:
                (fts_negative if negate else fts_positive).append(term)
            continue
        key = key.lower()
        clause, params = _filter(key, value, now)
        out.where.append(f"NOT ({clause})" if negate else clause)
        out.params.extend(params)
    if fts_positive:
        out.match = " AND ".join(fts_positive)
        if fts_negative:
            out.match += " NOT " + " NOT ".join(fts_negative)
    elif fts_negative:
        out.where.append("s.id NOT IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)")
        out.params.append(" OR ".join(fts_negative))
    return out


def _filter(key: str, value: str, now: datetime | None) -> tuple[str, list[object]]:
    if not value:
        raise QueryError(f"{key}: needs a value, for example {key}:something")
    if key == "tag":
        # IN over the tag's own rows (index story_tags_tag), not EXISTS per story: counting
        # a tag in a library of a million stories must not visit every story.
        return TAGGED, [value]
    if key == "feed":
        return (
            "s.feed_id IN (SELECT id FROM feeds WHERE url = ? OR "
            "instr(lower(coalesce(title, '')), lower(?)) > 0)",
            [value, value],
        )
    if key == "speaker":
        return (
            "s.id IN (SELECT q.story_id FROM quotes q WHERE "
            "instr(lower(coalesce(q.speaker, '')), lower(?)) > 0)",
            [value],
        )
    if key == "since":
        return "s.published >= ?", [parse_date(value, now=now)]
    if key == "before":
        return "s.published < ?", [parse_date(value, now=now)]
    states = {
        "unread": "s.read = 0",
        "read": "s.read = 1",
        "saved": "s.saved = 1",
        "starred": "s.saved = 1",
        "annotated": "(EXISTS (SELECT 1 FROM notes n WHERE n.story_id = s.id) OR EXISTS "
        "(SELECT 1 FROM highlights h WHERE h.story_id = s.id AND h.kind = 'user'))",
    }
    if value.lower() not in states:
        raise QueryError(
            f"is:{value} is not known; use is:unread, is:read, is:saved or is:annotated"
        )
    return states[value.lower()], []
