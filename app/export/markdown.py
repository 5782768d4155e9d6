"""Markdown: one file per story (an Obsidian vault as it is) or one digest.

Each file opens with YAML front matter, then Highlights, Quotes, Notes and the text. Feed
text is escaped so it reads as written: no raw HTML, links, math or headings sneak in.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.export.atomic import ensure_folder, write_text_atomic
from app.export.common import (
    clean,
    highlight_notes,
    one_line,
    paragraphs,
    story_notes,
    visible_tags,
)
from app.export.errors import ExportError
from app.export.filenames import safe_join, story_filename
from app.export.result import ExportResult
from storage.models import Story, speaker_label

if TYPE_CHECKING:
    from storage import Library

MANIFEST = ".byline-export.json"
MANIFEST_VERSION = 1

# ASCII punctuation CommonMark (and Obsidian: $math$, ==mark==, ^block, %%comment%%) may
# read as markup; each gets a backslash, which Markdown renders as the bare character.
_INLINE = re.compile(r"([\\`*_\[\]<>#|$]|[~=%](?=[~=%])|&(?=#?\w+;))")
# A line that would start a list, a heading, a quote, a rule or a code fence.
_LINE_START = re.compile(r"^(\s*)([-+*>#]|\d+[.)])(?=\s|$)")


def _escape_line_start(m: re.Match[str]) -> str:
    mark = m.group(2)
    # Only punctuation takes a backslash: "1." becomes "1\.", "-" becomes "\-".
    return f"{m.group(1)}{mark[:-1]}\\{mark[-1]}"


def escape(text: str) -> str:
    out = []
    for line in clean(text).split("\n"):
        line = _INLINE.sub(r"\\\1", line)
        line = _LINE_START.sub(_escape_line_start, line)
        out.append(line)
    return "\n".join(out)


# -- YAML front matter -----------------------------------------------------------------------


def yaml_scalar(value: object) -> str:
    """A YAML 1.1/1.2 scalar: null, true/false, an integer, or a double-quoted string."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _yaml_quoted(str(value))


def _yaml_quoted(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch.isprintable() and ch not in "\u2028\u2029\ufeff":
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def front_matter(fields: list[tuple[str, object]]) -> str:
    lines = ["---"]
    for key, value in fields:
        if isinstance(value, list):
            if not value:
                lines.append(f"{key}: []")
                continue
            lines.append(f"{key}:")
            lines.extend(f"  - {yaml_scalar(item)}" for item in value)
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def obsidian_tag(name: str) -> str:
    """A tag Obsidian accepts: letters, digits, _ - / and no spaces (the exact names are
    in the JSON export)."""
    tag = re.sub(r"[^\w/-]+", "-", one_line(name)).strip("-/")
    if not tag or tag.isdigit():
        tag = f"tag-{tag}" if tag else "tag"
    return tag


def story_front_matter(story: Story) -> str:
    return front_matter(
        [
            ("title", one_line(story.title)),
            ("url", one_line(story.url) or None),
            ("feed", one_line(story.feed_title)),
            ("author", one_line(story.author) or None),
            ("published", story.published),
            ("tags", [obsidian_tag(t) for t in visible_tags(story)]),
            ("saved", story.saved),
            ("byline_id", story.id),
        ]
    )


# -- the body --------------------------------------------------------------------------------


def _quote_block(text: str) -> str:
    lines = escape(text).split("\n")
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


def story_body(story: Story, *, level: int = 1) -> str:
    """The story as Markdown, its title a heading of `level` (sections one below)."""
    h = "#" * level
    sub = "#" * (level + 1)
    parts = [f"{h} {escape(one_line(story.title)) or 'Untitled'}"]
    meta = [p for p in (one_line(story.author), one_line(story.feed_title)) if p]
    if story.published:
        meta.append(story.published[:10])
    line = " · ".join(escape(p) for p in meta)
    if story.url and _is_web_url(story.url):
        line += f" · <{_url_for_markdown(story.url)}>"
    if line:
        parts.append(line)
    if story.highlights:
        parts.append(f"{sub} Highlights")
        for hl in story.highlights:
            block = _quote_block(hl.text)
            if hl.kind != "user":
                block += f"\n>\n> — *{'publisher' if hl.kind == 'publisher' else 'summary'}*"
            if not hl.anchored:
                block += "\n>\n> *(no longer in the story's text)*"
            parts.append(block)
            parts.extend(f"**Note:** {escape(note)}" for note in highlight_notes(story, hl))
    if story.quotes:
        parts.append(f"{sub} Quotes")
        items = []
        for q in story.quotes:
            speaker = escape(one_line(speaker_label(q.speaker, q.speaker_title)))
            speaker = speaker or "Unknown speaker"
            items.append(f"- **{speaker}** — “{escape(one_line(q.text))}”")
        parts.append("\n".join(items))
    notes = story_notes(story)
    if notes:
        parts.append(f"{sub} Notes")
        parts.extend(escape(n.body) for n in notes)
    body = paragraphs(story.text) or paragraphs(story.summary)
    if body:
        parts.append(f"{sub} Text")
        parts.extend(escape(p) for p in body)
    return "\n\n".join(parts) + "\n"


def _is_web_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _url_for_markdown(url: str) -> str:
    # Inside <...> only spaces, < and > end the link early; percent-encode them.
    return one_line(url).replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def render_story(story: Story) -> str:
    return story_front_matter(story) + "\n" + story_body(story)


def render_digest(stories: list[Story]) -> str:
    head = front_matter([("title", "Byline export"), ("stories", len(stories))])
    parts = [head, "# Byline export\n"]
    parts.extend(story_body(s, level=2) for s in stories)
    return "\n".join(parts)


# -- writing a folder ------------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    story: int
    sha256: str


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(folder: Path) -> dict[str, _Entry]:
    path = folder / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        return {
            str(name): _Entry(int(entry["story"]), str(entry["sha256"]))
            for name, entry in files.items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # An unreadable manifest means we cannot tell our files from the user's: treat
        # every existing file as the user's (skipped unless --force).
        return {}


def _write_manifest(folder: Path, entries: dict[str, _Entry]) -> None:
    data = {
        "byline_markdown_export": MANIFEST_VERSION,
        "about": "Byline's record of the files it wrote here and their content hash at the "
        "last export; a file whose hash differs was edited and is not replaced.",
        "files": {
            name: {"story": e.story, "sha256": e.sha256} for name, e in sorted(entries.items())
        },
    }
    write_text_atomic(folder / MANIFEST, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _file_digest(path: Path) -> str | None:
    try:
        return _digest(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ExportError(f"cannot read {path}: {exc.strerror or exc}") from None


def export_folder(
    library: Library, stories: list[Story], folder: Path, *, force: bool
) -> ExportResult:
    """One file per story. A file the user edited since the last export is left alone
    (unless `force`); a story whose title changed has its old, unedited file removed."""
    del library  # everything needed is on the stories
    ensure_folder(folder)
    manifest = _read_manifest(folder)
    result = ExportResult(stories=len(stories))
    for story in stories:
        name = story_filename(story.title, story.id)
        path = safe_join(folder, name)
        data = render_story(story).encode("utf-8")
        new_digest = _digest(data)
        current = _file_digest(path)
        recorded = manifest.get(name)
        if current == new_digest:
            manifest[name] = _Entry(story.id, new_digest)
            result.unchanged.append(path)
        elif current is None or force or (recorded is not None and recorded.sha256 == current):
            write_text_atomic(path, data.decode("utf-8"))
            manifest[name] = _Entry(story.id, new_digest)
            result.written.append(path)
        else:
            result.skipped_edited.append(path)
        for old_name, entry in list(manifest.items()):
            if entry.story != story.id or old_name == name:
                continue
            try:
                old_path = safe_join(folder, old_name)
            except ExportError:  # a manifest edited by hand: forget the entry
                del manifest[old_name]
                continue
            old_digest = _file_digest(old_path)
            if old_digest is None:
                del manifest[old_name]
            elif old_digest == entry.sha256:
                try:
                    old_path.unlink()
                except OSError as exc:
                    raise ExportError(f"cannot remove {old_path}: {exc.strerror}") from None
                del manifest[old_name]
                result.removed.append(old_path)
    _write_manifest(folder, manifest)
    return result
