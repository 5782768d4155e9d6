"""File names for exported stories: stable (slug + story id), safe on every OS, and never
outside the folder they are written to, whatever the title holds."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from app.export.errors import ExportError

MAX_SLUG_CHARS = 80
# Many file systems cap a name at 255 bytes; CJK titles take three bytes a character.
MAX_SLUG_BYTES = 160
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
    | {"conin$", "conout$"}
)


def slugify(title: str, *, fallback: str = "story") -> str:
    """Lower-case letters and digits of any script, joined by single hyphens."""
    text = unicodedata.normalize("NFKC", title).lower()
    out: list[str] = []
    for ch in text:
        if ch.isalnum() and ch.isprintable():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    slug = "".join(out).strip("-")
    slug = slug[:MAX_SLUG_CHARS]
    while len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        slug = slug[:-1]
    slug = slug.strip("-")
    if not slug:
        return fallback
    if slug in WINDOWS_RESERVED:
        slug = f"{slug}-"
    return slug


def story_filename(title: str, story_id: int, ext: str = "md") -> str:
    """`slug-ID.ext`: the id keeps two stories with one title apart and the name stable."""
    name = f"{slugify(title)}-{int(story_id)}.{ext}"
    if name.split(".", 1)[0].lower() in WINDOWS_RESERVED:  # cannot happen with the id; stay sure
        name = f"_{name}"
    return name


def safe_join(folder: Path, name: str) -> Path:
    """`folder / name`, refusing any name that would land anywhere but directly inside."""
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\x00" in name:
        raise ExportError(f"refusing to write a file named {name!r}")
    base = folder.resolve()
    path = (base / name).resolve()
    if path.parent != base:
        raise ExportError(f"refusing to write {name!r} outside {folder}")
    return path
