"""Writing files so that a failure leaves nothing half-written: a temporary file in the same
folder, flushed to disk, then `os.replace` onto the real name (atomic on one file system)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from app.export.errors import ExportError


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def ensure_folder(folder: Path) -> Path:
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the folder {folder}: {_reason(exc)}") from None
    return folder


def check_new_file(path: Path, *, force: bool) -> None:
    """Refuse to replace an existing file unless asked to."""
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name")
    if path.exists() and not force:
        raise ExportError(f"{path} already exists; use --force to replace it")


def write_atomic(path: Path, data: bytes) -> None:
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write in {folder}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(f"cannot write {path}: {_reason(exc)}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: Path, text: str, *, bom: bool = False) -> None:
    write_atomic(path, text.encode("utf-8-sig" if bom else "utf-8"))
