"""Fixtures every test can use. Area-specific helpers live in tests/support/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Library, open_library

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    """A real, empty library file in a temporary folder."""
    lib = open_library(tmp_path / "library.db")
    yield lib
    lib.close()


@pytest.fixture(scope="session")
def corpora() -> Path:
    """../shared/corpora; tests that need it skip with a reason when it is absent."""
    if not CORPORA.is_dir():
        pytest.skip(f"needs the shared corpora at {CORPORA} (CI always has them)")
    return CORPORA
