"""Worker processes for CPU work (parsing feeds, analysing stories), in the CLI and the reader.

Pure-Python work in a thread holds the GIL: it runs on one core and takes turns with the
event loop. Spawned processes run on every core. Two things stood in the way inside the
reader, where sys.stderr is Textual's capture with no file descriptor:

- multiprocessing starts its resource tracker with sys.stderr's descriptor, and -1 made
  every start fail ("bad value(s) in fds_to_keep"), so parsing and analysis fell back to
  threads. The tracker is started with /dev/null as sys.stderr then.
- a worker inherits the terminal as its stdout and stderr; a stray message from one would
  be drawn over the reader's screen. There, workers point both at /dev/null first.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def process_pool(
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> ProcessPoolExecutor:
    """A pool of `workers` spawned processes (forking a process that runs threads is unsafe).
    Processes start on the first submits; OSError or ValueError there means they cannot
    start here, and the caller does the work itself."""
    quiet = not _has_descriptor(sys.stderr)
    if quiet:
        _start_tracker()
    return ProcessPoolExecutor(
        max_workers=max(1, workers),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(quiet, initializer, initargs),
    )


def _has_descriptor(stream: Any) -> bool:
    try:
        return int(stream.fileno()) >= 0
    except (AttributeError, OSError, ValueError):
        return False


def _start_tracker() -> None:
    from multiprocessing import resource_tracker

    saved = sys.stderr
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        sys.stderr = devnull
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


def _start_worker(
    quiet: bool, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]
) -> None:
    if quiet:  # the terminal belongs to the reader
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
    if initializer is not None:
        initializer(*initargs)
