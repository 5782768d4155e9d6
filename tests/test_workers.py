"""Worker processes start where stderr has no file descriptor (inside the reader, Textual's
capture) and never write to the terminal there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT

SCRIPT = """
import io, os, sys
from app.workers import process_pool

class Captured(io.StringIO):  # what Textual puts in sys.stderr: no file descriptor
    def fileno(self):
        return -1

def noisy():
    os.write(1, b"LEAK-OUT\\n")
    os.write(2, b"LEAK-ERR\\n")
    print("LEAK-PRINT", file=sys.stderr, flush=True)
    return os.getpid()

if __name__ == "__main__":
    sys.stderr = Captured()
    pool = process_pool(2)
    pids = {pool.submit(noisy).result(timeout=60) for _ in range(4)}
    pool.shutdown()
    assert os.getpid() not in pids, "the work ran in this process"
    print("workers", len(pids), flush=True)
"""


def test_workers_start_without_a_stderr_descriptor_and_stay_silent(tmp_path: Path) -> None:
    script = tmp_path / "start_workers.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "workers" in done.stdout
    assert "LEAK" not in done.stdout + done.stderr


def test_workers_keep_the_terminal_where_stderr_is_real(tmp_path: Path) -> None:
    """In the CLI a worker's stderr stays the command's (a crash can still be read)."""
    script = tmp_path / "start_workers.py"
    script.write_text(SCRIPT.replace("sys.stderr = Captured()", "pass"), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "LEAK-ERR" in done.stderr
