"""A reader that stays fast at 100,000 (or 1,000,000) stories, side by side with newsboat.

Builds (once, then reuses) a synthetic library of N stories in F feeds -- news-like text from
a seeded generator: function words, a news vocabulary and a Zipf tail of pseudo-words -- and
the same stories as a newsboat cache (newsboat builds an empty cache, then rss_feed/rss_item
are filled with the same rows). Then, on the same machine in one run:

  * ready: the command is started in a private tmux server (200x50) and the pane is polled
    until the first story title (Byline) or the first feed title (newsboat, which opens on
    its feed list) is painted. Median of --runs.
  * key-to-repaint: `j`/`k` sent with tmux send-keys; time until the pane (with styles)
    changes. Byline in its story list; newsboat in the article list of its first feed.
  * peak memory: VmHWM of the program's process after the keys.
  * search: 20 typical queries through `library.list_stories(query=...)` plus
    `count_stories` (what the reader runs for `/`), each run --repeat times; median and p95.
    And the same queries through `byline stories --query Q` (wall time, start-up included).

The machine is shared and noisy: read the ratios and medians, not one absolute time.
newsboat is optional (`apt-get install newsboat`); without it the comparison is skipped.

    .venv/bin/python bench/scale.py [--stories 100000] [--runs 5] [--work DIR]
    .venv/bin/python bench/scale.py --stories 1000000 --no-newsboat
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage import Library, open_library  # noqa: E402
from storage.models import Entry  # noqa: E402

BYLINE = ROOT / ".venv" / "bin" / "byline"
WIDTH, HEIGHT = 200, 50
SOCKET = f"byline-scale-{os.getpid()}"


def words(text: str) -> list[str]:
    return text.split()


COMMON = words(
    "the of and to in a that for on is with said was as by at from it his her has have be "
    "are an not will after who they their this its but were been more than about over new "
    "also would one two last year week people"
)
NEWS = sorted(
    set(
        words(
            """government minister prime election vote parliament president ukraine russia arms
        weapons javelin syria deconfliction military troops ceasefire talks climate emissions
        energy oil gas prices inflation bank rates economy market shares company profits jobs
        strike union workers court judge trial police arrest city council school teachers
        health hospital doctors vaccine virus research science space launch football league
        match season coach players film music festival award campaign senate congress border
        migrants refugees aid sanctions treaty summit china trade tariffs europe germany france
        britain london paris berlin washington israel gaza iran nuclear storm flood fire
        drought wildfire earthquake housing rent mortgage budget tax spending deficit debt
        technology software chips startup data privacy security hack cyber water transport
        rail airline airport ferry harbour port shipping fishing farmers food wheat"""
        )
    )
)
TAGS = ["climate", "ukraine arms", "elections", "markets", "health"]
QUERIES = [
    "ukraine",
    "ukraine arms",
    "climate energy",
    "election",
    '"prime minister"',
    "harb*",
    "tag:climate",
    'feed:"news 001"',
    "is:unread",
    "is:saved",
    "since:7d",
    "ukraine since:30d",
    "bank rates -inflation",
    "strike union workers",
    "court judge trial",
    "storm flood",
    "is:unread climate",
    "said",
    "{rare}",
    "speaker:smith",
]
CONSONANTS = "bcdfghklmnprstvz"
VOWELS = "aeiou"


# -- the synthetic library ------------------------------------------------------------------
def pseudo_words(n: int, rng: random.Random) -> list[str]:
    syllables = [c + v for c in CONSONANTS for v in VOWELS]
    words = ["".join(c) for size in (2, 3) for c in itertools.product(syllables, repeat=size)]
    rng.shuffle(words)
    return words[:n]


class Generator:
    """Seeded news-like text: sentences are drawn once into a pool and recombined."""

    def __init__(self, seed: int) -> None:
        self.rng = rng = random.Random(seed)
        self.filler = pseudo_words(20_000, rng)
        vocab = COMMON + NEWS + self.filler

        def zipf(words: list[str], share: float) -> list[float]:
            raw = [1 / (r**1.05) for r in range(1, len(words) + 1)]
            total = sum(raw)
            return [share * w / total for w in raw]

        body = zipf(COMMON, 0.40) + zipf(NEWS, 0.22) + zipf(self.filler, 0.38)
        title = zipf(COMMON, 0.10) + zipf(NEWS, 0.60) + zipf(self.filler, 0.30)
        body_cum = list(itertools.accumulate(body))
        self.vocab = vocab
        self.title_cum = list(itertools.accumulate(title))
        self.sentences = [
            " ".join(rng.choices(vocab, cum_weights=body_cum, k=rng.randint(8, 20))).capitalize()
            + "."
            for _ in range(30_000)
        ]
        names = pseudo_words(600, rng)
        self.authors = [
            f"{a.capitalize()} {b.capitalize()}"
            for a, b in zip(names[:300], names[300:], strict=True)
        ]

    def title(self) -> str:
        words = self.rng.choices(self.vocab, cum_weights=self.title_cum, k=self.rng.randint(5, 9))
        return " ".join(words).capitalize()

    def text(self) -> str:
        picked = self.rng.choices(self.sentences, k=self.rng.randint(3, 8))
        return "\n\n".join(" ".join(picked[i : i + 3]) for i in range(0, len(picked), 3))

    def rare_word(self) -> str:
        return self.filler[3_000]  # rank 3,000 of the Zipf tail: a handful of stories


def feed_title(f: int, gen: Generator) -> str:
    return f"{gen.filler[f].capitalize()} News {f:03d}"


def build(stories: int, feeds: int, seed: int, byline_db: Path, nb_db: Path | None) -> None:
    gen = Generator(seed)
    rng = gen.rng
    now = datetime.now(UTC).replace(microsecond=0)
    library = open_library(byline_db)
    nb = _newsboat_cache(nb_db) if nb_db else None
    per_feed = stories // feeds
    started = time.perf_counter()
    for f in range(feeds):
        title = feed_title(f, gen)
        url = f"http://127.0.0.1:9/feed/{f:03d}"
        feed = library.add_feed(url, title=title)
        ages = sorted(rng.uniform(0, 730 * 86400) for _ in range(per_feed))
        entries = [
            Entry(
                uid=f"{url}#{i}",
                title=gen.title(),
                url=f"https://news{f:03d}.example/story/{i}",
                author=rng.choice(gen.authors),
                published=(now - timedelta(seconds=int(a))).isoformat(timespec="seconds"),
                text=gen.text(),
            )
            for i, a in enumerate(ages)
        ]
        library.insert_new_entries(feed.id, entries)
        if nb is not None:
            _newsboat_fill(nb, url, title, entries, now)
        done = (f + 1) * per_feed
        if f % 10 == 9 or f == feeds - 1:
            rate = done / (time.perf_counter() - started)
            print(f"building: {done} stories ({rate:.0f}/s)", file=sys.stderr, flush=True)
    # Everything older than two weeks has been read, as in a library people keep.
    cutoff = (now - timedelta(days=14)).isoformat(timespec="seconds")
    library.mark_all_read(query=f"before:{cutoff}")
    ids = [r[0] for r in library.conn.execute("SELECT id FROM stories")]
    for tag in TAGS:
        library.tag_stories(rng.sample(ids, len(ids) // 200), tag)
    with library.transaction():
        library.conn.executemany(
            "UPDATE stories SET saved = 1 WHERE id = ?", [(i,) for i in rng.sample(ids, 200)]
        )
    library.conn.execute("INSERT INTO stories_fts (stories_fts) VALUES ('optimize')")
    library.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()
    if nb is not None:
        nb.execute(
            "UPDATE rss_item SET unread = 0 WHERE pubDate < ?",
            (int((now - timedelta(days=14)).timestamp()),),
        )
        nb.commit()
        nb.close()
    print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def _newsboat_cache(path: Path) -> sqlite3.Connection:
    """An empty cache made by newsboat itself (its schema, its metadata), then opened."""
    newsboat = shutil.which("newsboat")
    assert newsboat is not None
    with tempfile.TemporaryDirectory() as tmp:
        urls = Path(tmp) / "urls"
        urls.write_text("http://127.0.0.1:9/unreachable\n", encoding="utf-8")
        subprocess.run(
            [newsboat, "-x", "reload", "-u", str(urls), "-c", str(path), "-C", os.devnull],
            capture_output=True,
            timeout=60,
            check=False,
        )
    if not path.exists():
        sys.exit("newsboat did not create its cache; run without newsboat: --no-newsboat")
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM rss_item")
    conn.execute("DELETE FROM rss_feed")
    return conn


def _newsboat_fill(
    conn: sqlite3.Connection, url: str, title: str, entries: list[Entry], now: datetime
) -> None:
    conn.execute(
        "INSERT INTO rss_feed (rssurl, url, title, lastmodified) VALUES (?, ?, ?, ?)",
        (url, url, title, int(now.timestamp())),
    )
    conn.executemany(
        """INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread,
               enqueued, flags, deleted, base) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, '', 0, '')""",
        [
            (
                e.uid,
                e.title,
                e.author or "",
                e.url or "",
                url,
                int(datetime.fromisoformat(e.published or "").timestamp()),
                "".join(f"<p>{p}</p>" for p in e.text.split("\n\n")),
            )
            for e in entries
        ],
    )
    conn.commit()


# -- terminal measurements --------------------------------------------------------------------
class Tmux:
    """A private tmux server (its own socket), so nobody else's sessions are touched."""

    def __init__(self) -> None:
        self.base = ["tmux", "-L", SOCKET, "-f", os.devnull]
        self._run("new-session", "-d", "-s", "idle", "-x", str(WIDTH), "-y", str(HEIGHT))

    def _run(self, *args: str) -> str:
        done = subprocess.run([*self.base, *args], capture_output=True, text=True, check=False)
        return done.stdout

    def start(self, command: str) -> float:
        started = time.perf_counter()
        self._run(
            "new-session", "-d", "-s", "run", "-x", str(WIDTH), "-y", str(HEIGHT), f"exec {command}"
        )
        return started

    def screen(self, styles: bool = False) -> str:
        return self._run("capture-pane", "-p", *(["-e"] if styles else []), "-t", "run")

    def pid(self) -> int:
        return int(self._run("display-message", "-p", "-t", "run", "#{pane_pid}").strip() or 0)

    def keys(self, *keys: str) -> None:
        self._run("send-keys", "-t", "run", *keys)

    def wait_for(self, text: str, started: float, timeout: float = 300) -> float:
        while time.perf_counter() - started < timeout:
            if text in self.screen():
                return time.perf_counter() - started
            time.sleep(0.005)
        raise TimeoutError(f"{text!r} not painted within {timeout:.0f} s:\n{self.screen()}")

    def quiet(self, for_seconds: float = 0.25, timeout: float = 10) -> str:
        """Wait until the pane stops changing; return what it shows."""
        last, since, started = self.screen(True), time.perf_counter(), time.perf_counter()
        while time.perf_counter() - started < timeout:
            time.sleep(0.02)
            now = self.screen(True)
            if now != last:
                last, since = now, time.perf_counter()
            elif time.perf_counter() - since >= for_seconds:
                break
        return last

    def key_latency(self, key: str) -> float:
        before = self.quiet()
        started = time.perf_counter()
        self.keys(key)
        while time.perf_counter() - started < 5:
            if self.screen(True) != before:
                return time.perf_counter() - started
            time.sleep(0.002)
        return float("nan")

    def stop(self) -> None:
        pid = self.pid()
        self._run("kill-session", "-t", "run")
        for _ in range(500):  # wait until the program has really gone (locks, WAL)
            if not pid or not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.01)

    def close(self) -> None:
        self._run("kill-server")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class AppRun:
    ready: list[float]  # seconds to the first title painted, one per run
    keys: list[float]  # seconds from a key to the next repaint
    rss: float  # peak resident memory, MB
    screen: str  # what the first run showed once ready


def measure_app(
    tmux: Tmux, command: str, marker: str, runs: int, keys: int, before_keys: list[str]
) -> AppRun:
    ready: list[float] = []
    latencies: list[float] = []
    rss: list[float] = []
    first_screen = ""
    for run in range(runs):
        started = tmux.start(command)
        ready.append(tmux.wait_for(marker, started))
        if run == 0:
            first_screen = tmux.screen()
            for key in before_keys:
                tmux.keys(key)
                tmux.quiet()
            for i in range(keys):
                latencies.append(tmux.key_latency("j" if i < keys // 2 else "k"))
        rss.append(peak_rss_mb(tmux.pid()))
        tmux.stop()
    return AppRun(ready, [k for k in latencies if k == k], max(rss), first_screen)


# -- search -----------------------------------------------------------------------------------
def search_times(library: Library, queries: list[str], repeat: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for query in queries:
        library.list_stories(query=query, limit=100)  # a warm page cache, as a running reader
        for _ in range(repeat):
            started = time.perf_counter()
            library.count_stories(query=query)
            library.list_stories(query=query, limit=100)
            out.setdefault(query, []).append((time.perf_counter() - started) * 1000)
    return out


def cli_search(db: Path, queries: list[str], env: dict[str, str]) -> tuple[list[float], float]:
    def once(*extra: str) -> float:
        started = time.perf_counter()
        done = subprocess.run(
            [str(BYLINE), "--db", str(db), "stories", "--limit", "20", *extra],
            env=env,
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"byline stories {' '.join(extra)} failed: {done.stderr.decode()[-500:]}")
        return time.perf_counter() - started

    baseline = statistics.median(once() for _ in range(5))
    return [once("--query", q) * 1000 for q in queries], baseline * 1000


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


# -- main -------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, help="default: stories / 500, 20 to 500")
    parser.add_argument("--runs", type=int, default=5, help="opens of each reader (median)")
    parser.add_argument("--nb-runs", type=int, default=3, help="opens of newsboat (median)")
    parser.add_argument("--keys", type=int, default=20, help="j/k presses (half each)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each search query")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "byline-scale")
    parser.add_argument("--no-newsboat", action="store_true", help="skip the newsboat side")
    parser.add_argument("--rebuild", action="store_true", help="build the libraries again")
    args = parser.parse_args()
    feeds = args.feeds or max(20, min(500, args.stories // 500))

    newsboat = None if args.no_newsboat else shutil.which("newsboat")
    if not args.no_newsboat and newsboat is None:
        print("newsboat is not on PATH (Debian/Ubuntu: apt-get install newsboat): skipped")
    if shutil.which("tmux") is None:
        sys.exit("needs tmux on PATH (apt-get install tmux) to drive the terminal readers")

    args.work.mkdir(parents=True, exist_ok=True)
    name = f"{args.stories}-{feeds}-{args.seed}"
    byline_db = args.work / f"byline-{name}.db"
    nb_db = args.work / f"newsboat-{name}.db"
    nb_urls = args.work / f"newsboat-{name}.urls"
    if args.rebuild or not byline_db.exists() or (newsboat and not nb_db.exists()):
        for stale in args.work.glob(f"*-{name}.*"):
            stale.unlink()
        build(args.stories, feeds, args.seed, byline_db, nb_db if newsboat else None)
        urls = [f"http://127.0.0.1:9/feed/{f:03d}" for f in range(feeds)]
        nb_urls.write_text("\n".join(urls) + "\n", encoding="utf-8")
    for path in (byline_db, nb_db):  # the same warm page cache for both readers
        if path.exists():
            with path.open("rb") as fh:
                while fh.read(1 << 24):
                    pass

    gen = Generator(args.seed)
    queries = [q.replace("{rare}", gen.rare_word()) for q in QUERIES]
    env = dict(os.environ, BYLINE_CONFIG=str(args.work / "no-config.toml"))
    library = open_library(byline_db)
    total = library.count_stories()
    first = library.list_stories(limit=1)[0]
    searches = search_times(library, queries, args.repeat)
    matches = {q: library.count_stories(query=q) for q in queries}
    library.close()
    cli, cli_base = cli_search(byline_db, queries, env)

    tmux = Tmux()
    try:
        byline_cmd = f"env BYLINE_CONFIG={env['BYLINE_CONFIG']} {BYLINE} --db {byline_db}"
        marker = first.title[:16]
        by = measure_app(tmux, byline_cmd, marker, args.runs, args.keys, [])
        nb = None
        if newsboat:
            nb_conf = args.work / "newsboat.conf"
            nb_conf.write_text("show-read-feeds yes\nauto-reload no\n", encoding="utf-8")
            nb_cmd = f"{newsboat} -u {nb_urls} -c {nb_db} -C {nb_conf}"
            nb_marker = feed_title(0, gen)
            nb = measure_app(tmux, nb_cmd, nb_marker, args.nb_runs, args.keys, ["Enter"])
    finally:
        tmux.close()

    report(args, total, feeds, searches, matches, cli, cli_base, by, nb)


def report(
    args: argparse.Namespace,
    total: int,
    feeds: int,
    searches: dict[str, list[float]],
    matches: dict[str, int],
    cli: list[float],
    cli_base: float,
    by: AppRun,
    nb: AppRun | None,
) -> None:
    med = statistics.median
    print(f"\nlibrary: {total} stories in {feeds} feeds; {os.cpu_count()} CPUs; "
          f"tmux {WIDTH}x{HEIGHT}")  # fmt: skip
    print("search (count + first page of 100, as the reader's / runs it), ms:")
    for query, times in searches.items():
        print(f"  {med(times):7.1f}  max {max(times):7.1f}  {matches[query]:>7} hits  {query}")
    every = [t for times in searches.values() for t in times]
    print(f"  all {len(every)} runs: median {med(every):.1f} ms, p95 {pct(every, 0.95):.1f} ms")
    print(f"byline stories --query Q --limit 20 (wall, start-up included): median {med(cli):.0f}"
          f" ms, p95 {pct(cli, 0.95):.0f} ms; without --query {cli_base:.0f} ms")  # fmt: skip
    rows = [("byline", by, args.runs)] + ([("newsboat", nb, args.nb_runs)] if nb else [])
    for who, run, n in rows:
        print(f"{who:<8} ready {med(run.ready):6.2f} s (median of {n}; runs "
              f"{', '.join(f'{r:.2f}' for r in run.ready)})")  # fmt: skip
        print(f"         j/k key-to-repaint median {med(run.keys) * 1000:.0f} ms, p95 "
              f"{pct(run.keys, 0.95) * 1000:.0f} ms; peak RSS {run.rss:.0f} MB")  # fmt: skip
    if nb is not None:
        print(f"byline / newsboat: ready {med(by.ready) / med(nb.ready):.3f}x, "
              f"j/k {med(by.keys) / med(nb.keys):.2f}x, "
              f"peak RSS {by.rss / nb.rss:.2f}x")  # fmt: skip
    else:
        print("newsboat: not measured")
    extra = "" if args.stories == 100_000 else f" --stories {args.stories}"
    extra += " --no-newsboat" if nb is None else ""
    print(f"command: .venv/bin/python bench/scale.py{extra} --runs {args.runs}")


if __name__ == "__main__":
    main()
