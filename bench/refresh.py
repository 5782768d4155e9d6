"""`byline refresh` over the 200 real feeds of ../shared/corpora, served from 127.0.0.1.

The feeds are served with ETag and Last-Modified (content type sniffed, the files have no
extension). Each cold run subscribes a fresh temporary library and times `byline refresh`
as a subprocess; each warm run refreshes that library again (every feed answers 304).
Prints the median seconds of a few runs and the command. When `newsboat` is on PATH the
same is done with `newsboat -x reload` (reload-threads 8) and the ratios are printed.

    .venv/bin/python bench/refresh.py [--runs N] [--corpus PATH] [--parse]

--parse also times, in this process, parsing + cleaning the corpus with the lxml cleaner and
with the stdlib html.parser fallback, and a cold refresh parsing in threads vs in worker
processes (the choices made in app/ingest/clean.py and app/ingest/refresh.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage import open_library  # noqa: E402
from tests.support.feedserver import FeedServer  # noqa: E402

BYLINE = ROOT / ".venv" / "bin" / "byline"


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    return seconds


def bench_byline(urls: list[str], runs: int, work: Path) -> tuple[float, float, str]:
    env = dict(os.environ, BYLINE_CONFIG=str(work / "no-config.toml"))
    cold, warm = [], []
    summary = ""
    for run in range(runs):
        db = work / f"byline-{run}.db"
        with open_library(db) as library:
            for url in urls:
                library.add_feed(url)
        command = [str(BYLINE), "--db", str(db), "refresh"]
        cold.append(timed(command, env))
        warm.append(timed(command, env))
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        summary = done.stdout.strip()
    return statistics.median(cold), statistics.median(warm), summary


def bench_newsboat(urls: list[str], runs: int, work: Path) -> tuple[float, float] | None:
    newsboat = shutil.which("newsboat")
    if newsboat is None:
        return None
    urls_file = work / "urls"
    urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    config = work / "newsboat.conf"
    config.write_text("reload-threads 8\nshow-read-feeds yes\n", encoding="utf-8")
    env = dict(os.environ)
    cold, warm = [], []
    for run in range(runs):
        cache = work / f"newsboat-{run}.db"
        command = [newsboat, "-x", "reload", "-u", str(urls_file), "-c", str(cache),
                   "-C", str(config)]  # fmt: skip
        cold.append(timed(command, env))
        warm.append(timed(command, env))
    return statistics.median(cold), statistics.median(warm)


def bench_parse(corpus: Path, urls: list[str], work: Path) -> list[str]:
    from app.config import Settings
    from app.ingest import clean, refresh
    from app.ingest.parse import parse_feed

    bodies = [p.read_bytes() for p in sorted(corpus.iterdir()) if p.is_file()]
    lines = []
    started = time.perf_counter()
    entries = sum(len(parse_feed(b).entries) for b in bodies)
    lxml_seconds = time.perf_counter() - started
    real_lxml = clean._lxml_html_to_text
    clean._lxml_html_to_text = lambda html: None
    try:
        started = time.perf_counter()
        for body in bodies:
            parse_feed(body)
        stdlib_seconds = time.perf_counter() - started
    finally:
        clean._lxml_html_to_text = real_lxml
    lines.append(
        f"parse + clean {len(bodies)} feeds ({entries} entries), one process: "
        f"lxml cleaner {lxml_seconds:.2f} s, stdlib cleaner {stdlib_seconds:.2f} s"
    )
    for label, threshold in (("threads", 10**9), ("processes", refresh.POOL_MIN_FEEDS)):
        saved = refresh.POOL_MIN_FEEDS
        refresh.POOL_MIN_FEEDS = threshold
        try:
            with open_library(work / f"parse-{label}.db") as library:
                for url in urls:
                    library.add_feed(url)
                started = time.perf_counter()
                refresh.refresh_sync(library, Settings(db=work / "unused.db"))
                lines.append(f"cold refresh in-process, parsing in {label}: "
                             f"{time.perf_counter() - started:.2f} s")  # fmt: skip
        finally:
            refresh.POOL_MIN_FEEDS = saved
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median)")
    parser.add_argument(
        "--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "real-feeds"
    )
    parser.add_argument("--parse", action="store_true", help="also time parsing choices")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"needs the shared corpora at {args.corpus}")

    server = FeedServer().start()
    try:
        urls = server.directory("/feeds", args.corpus)
        size = sum(p.stat().st_size for p in args.corpus.iterdir() if p.is_file())
        with tempfile.TemporaryDirectory(prefix="byline-bench-") as tmp:
            work = Path(tmp)
            cold, warm, summary = bench_byline(urls, args.runs, work)
            newsboat = bench_newsboat(urls, args.runs, work)
            parse_lines = bench_parse(args.corpus, urls, work) if args.parse else []
    finally:
        server.stop()

    print(f"{len(urls)} feeds, {size / 1e6:.1f} MB, served from 127.0.0.1; {os.cpu_count()} CPUs")
    print(f"byline refresh  cold {cold:6.2f} s   warm (all 304) {warm:6.2f} s   "
          f"(median of {args.runs})")  # fmt: skip
    print(f"  last warm run said: {summary}")
    if newsboat is None:
        print("newsboat is absent (not on PATH): no comparison")
    else:
        nb_cold, nb_warm = newsboat
        print(f"newsboat reload cold {nb_cold:6.2f} s   warm {nb_warm:6.2f} s   (reload-threads 8)")
        print(f"byline / newsboat: cold {cold / nb_cold:.2f}x, warm {warm / nb_warm:.2f}x")
    for line in parse_lines:
        print(line)
    flags = " --parse" if args.parse else ""
    print(f"command: .venv/bin/python bench/refresh.py --runs {args.runs}{flags}")


if __name__ == "__main__":
    main()
