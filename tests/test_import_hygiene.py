"""The layers stay apart: checked by importing each module in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _modules(package: str) -> list[str]:
    base = ROOT / package.replace(".", "/")
    found = []
    for path in sorted(base.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append(".".join(parts))
    return found


def _loaded_after_import(module: str) -> set[str]:
    code = (
        "import importlib, json, sys; before = set(sys.modules); "
        f"importlib.import_module({module!r}); "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout))


def _top(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


@pytest.mark.parametrize("module", _modules("storage"))
def test_storage_imports_nothing_of_ours(module: str) -> None:
    loaded = _top(_loaded_after_import(module))
    assert not loaded & {"app", "widgets", "textual", "httpx", "feedparser"}


SERVICE_MODULES = _modules("app/ingest") + _modules("app/analysis") + _modules("app/export")


@pytest.mark.parametrize("module", SERVICE_MODULES)
def test_services_never_import_textual(module: str) -> None:
    loaded = _loaded_after_import(module)
    assert not _top(loaded) & {"textual", "widgets"}
    assert not {n for n in loaded if n.startswith(("app.tui", "app.screens"))}


@pytest.mark.parametrize("module", _modules("widgets"))
def test_widgets_import_only_textual_and_storage_models(module: str) -> None:
    loaded = _loaded_after_import(module)
    ours = {n for n in loaded if _top({n}) & {"app", "storage"}}
    assert ours <= {"storage", "storage.models"}, ours


def test_cli_start_up_stays_light() -> None:
    loaded = _top(_loaded_after_import("app.cli"))
    heavy = {"textual", "httpx", "feedparser", "trafilatura", "sqlite_utils", "numpy", "lxml"}
    assert not loaded & heavy, loaded & heavy
