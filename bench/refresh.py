"""`byline refresh` over the 200 real feeds of ../shared/corpora, served from 127.0.0.1.

The feeds are served with ETag and Last-Modified (content type sniffed, the files have no
extension). Each cold run subscribes a fresh temporary library and times `byline refresh`
as a subprocess; each warm run refreshes that library again (every feed answers 304).
Prints the median seconds of a few runs and the command. When `newsboat` is on PATH the
same is done with `newsboat -x reload` (reload-threads 8), run for run between Byline's (so
load from other work falls on both alike), and the ratios are printed. CPU-seconds (user +
system, Byline's worker processes included) are printed beside the cold times: on a shared
machine they vary less than wall time.

    .venv/bin/python bench/refresh.py [--runs N] [--corpus PATH] [--parse]

--parse also times, in this process, cleaning the corpus's bodies with the fast lxml walk, the
reference walk and the stdlib html.parser fallback, and a cold refresh parsing in threads vs in
worker processes (the choices made in app/ingest/clean.py and app/ingest/refresh.py).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage import open_library  # noqa: E402
from tests.support.feedserver import FeedServer  # noqa: E402

BYLINE = ROOT / ".venv" / "bin" / "byline"


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of the command with its worker processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return seconds, cpu


@dataclass
class Runs:
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    cold_cpu: list[float] = field(default_factory=list)

    def add(self, cold: tuple[float, float], warm: tuple[float, float]) -> None:
        self.cold.append(cold[0])
        self.cold_cpu.append(cold[1])
        self.warm.append(warm[0])

    def medians(self) -> tuple[float, float, float]:
        return tuple(statistics.median(x) for x in (self.cold, self.warm, self.cold_cpu))  # type: ignore[return-value]


def byline_run(urls: list[str], run: int, work: Path, analysis: bool, into: Runs) -> str:
    """One cold and one warm `byline refresh`; returns what a warm refresh says."""
    env = dict(os.environ, BYLINE_CONFIG=str(work / "no-config.toml"))
    db = work / f"byline-{run}.db"
    with open_library(db) as library:
        for url in urls:
            library.add_feed(url)
    # Like newsboat, store only; --with-analysis adds quotes, highlights and topics.
    command = [str(BYLINE), "--db", str(db), "refresh"]
    if not analysis:
        command.append("--no-analysis")
    into.add(timed(command, env), timed(command, env))
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def newsboat_run(urls: list[str], run: int, work: Path, into: Runs) -> bool:
    """One cold and one warm `newsboat -x reload`; False when newsboat is absent."""
    newsboat = shutil.which("newsboat")
    if newsboat is None:
        return False
    urls_file = work / "urls"
    urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    config = work / "newsboat.conf"
    config.write_text("reload-threads 8\nshow-read-feeds yes\n", encoding="utf-8")
    cache = work / f"newsboat-{run}.db"
    command = [newsboat, "-x", "reload", "-u", str(urls_file), "-c", str(cache),
               "-C", str(config)]  # fmt: skip
    env = dict(os.environ)
    into.add(timed(command, env), timed(command, env))
    return True


def bench_parse(corpus: Path, urls: list[str], runs: int, work: Path) -> list[str]:
    """The two choices behind the cold figure, each measured in alternation (median)."""
    import io

    import feedparser

    from app.ingest import clean

    htmls = []
    for path in sorted(corpus.iterdir()):
        parsed = feedparser.parse(
            io.BytesIO(path.read_bytes()), sanitize_html=False, resolve_relative_uris=False
        )
        for entry in parsed.entries:
            htmls += [c.get("value", "") for c in entry.get("content") or []]
            htmls.append(entry.get("summary", ""))
    size = sum(len(h) for h in htmls) / 1e6
    # The cleaner as shipped (fast lxml walk), the reference walk over every element (what
    # the fast one is checked against), and the stdlib html.parser fallback.
    variants = {
        "lxml fast walk": clean._lxml_html_to_text,
        "lxml reference walk": lambda html: (
            None if (root := clean._lxml_tree(html)) is None else clean._collect(root)
        ),
        "stdlib html.parser": lambda html: None,
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    real_lxml = clean._lxml_html_to_text
    for _ in range(runs):
        for name, variant in variants.items():
            clean._lxml_html_to_text = variant
            try:
                started = time.perf_counter()
                for html in htmls:
                    clean.html_to_text(html)
                times[name].append(time.perf_counter() - started)
            finally:
                clean._lxml_html_to_text = real_lxml
    lines = [
        f"html_to_text over {len(htmls)} bodies ({size:.1f} M chars): "
        + ", ".join(f"{name} {statistics.median(t):.2f} s" for name, t in times.items())
    ]
    # Cold `byline refresh --no-analysis` with parsing forced into threads or processes.
    env = dict(os.environ, BYLINE_CONFIG=str(work / "no-config.toml"))
    modes = {"threads": (10**9, 10**12), "processes": (8, 1 << 20)}
    walls: dict[str, list[float]] = {m: [] for m in modes}
    cpus: dict[str, list[float]] = {m: [] for m in modes}
    for run in range(runs):
        for mode, (min_feeds, big_body) in modes.items():
            db = work / f"parse-{mode}-{run}.db"
            with open_library(db) as library:
                for url in urls:
                    library.add_feed(url)
            code = (
                "import app.ingest.refresh as r; "
                f"r.POOL_MIN_FEEDS = {min_feeds}; r.BIG_BODY = {big_body}; "
                "from app.cli import main; "
                f"main(['--db', {str(db)!r}, 'refresh', '--no-analysis'])"
            )
            wall, cpu = timed([sys.executable, "-c", code], env)
            walls[mode].append(wall)
            cpus[mode].append(cpu)
    for mode in modes:
        lines.append(
            f"cold refresh parsing in {mode:9}: {statistics.median(walls[mode]):6.2f} s wall, "
            f"{statistics.median(cpus[mode]):6.2f} s CPU (median of {runs})"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median)")
    parser.add_argument(
        "--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "real-feeds"
    )
    parser.add_argument("--parse", action="store_true", help="also time parsing choices")
    parser.add_argument(
        "--with-analysis", action="store_true", help="let byline refresh analyse stories too"
    )
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"needs the shared corpora at {args.corpus}")

    server = FeedServer().start()
    try:
        urls = server.directory("/feeds", args.corpus)
        size = sum(p.stat().st_size for p in args.corpus.iterdir() if p.is_file())
        with tempfile.TemporaryDirectory(prefix="byline-bench-") as tmp:
            work = Path(tmp)
            byline, newsboat = Runs(), Runs()
            has_newsboat = True
            summary = ""
            for run in range(args.runs):  # interleaved: load from other work hits both alike
                summary = byline_run(urls, run, work, args.with_analysis, byline)
                has_newsboat = newsboat_run(urls, run, work, newsboat)
            parse_lines = bench_parse(args.corpus, urls, args.runs, work) if args.parse else []
    finally:
        server.stop()

    print(f"{len(urls)} feeds, {size / 1e6:.1f} MB, served from 127.0.0.1; {os.cpu_count()} CPUs")
    mode = "with analysis" if args.with_analysis else "--no-analysis"
    print(f"byline refresh ({mode})")
    cold, warm, cpu = byline.medians()
    print(f"byline refresh  cold {cold:6.2f} s ({cpu:.2f} CPU-s)   warm (all 304) {warm:6.2f} s   "
          f"(median of {args.runs})")  # fmt: skip
    print(f"  last warm run said: {summary}")
    if not has_newsboat:
        print("newsboat is absent (not on PATH): no comparison")
    else:
        nb_cold, nb_warm, nb_cpu = newsboat.medians()
        print(f"newsboat reload cold {nb_cold:6.2f} s ({nb_cpu:.2f} CPU-s)   "
              f"warm {nb_warm:6.2f} s   (reload-threads 8)")  # fmt: skip
        print(f"byline / newsboat: cold {cold / nb_cold:.2f}x, warm {warm / nb_warm:.2f}x, "
              f"cold CPU {cpu / nb_cpu:.2f}x")  # fmt: skip
        print("  cold runs, byline: " + ", ".join(f"{t:.2f}" for t in byline.cold)
              + "; newsboat: " + ", ".join(f"{t:.2f}" for t in newsboat.cold))  # fmt: skip
    for line in parse_lines:
        print(line)
    flags = (" --parse" if args.parse else "") + (" --with-analysis" if args.with_analysis else "")
    print(f"command: .venv/bin/python bench/refresh.py --runs {args.runs}{flags}")


if __name__ == "__main__":
    main()
