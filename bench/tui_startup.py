"""How fast the reader is on a big library: time to ready and key-to-repaint latency.

Builds (once, cached) a library of N generated stories over 200 feeds, then drives the real
App with Textual's Pilot: time from start until the story list is painted with its first
page, and the latency of j/k (press to repainted screen) at the top and deep in the list.
Also prints the import cost of `app.tui`.

    .venv/bin/python bench/tui_startup.py [--stories 100000] [--db /tmp/byline-bench-100k.db]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage import open_library  # noqa: E402
from storage.models import Entry  # noqa: E402

WORDS = [
    "minister",
    "said",
    "talks",
    "arms",
    "deal",
    "border",
    "ceasefire",
    "vote",
    "budget",
    "court",
    "report",
    "market",
    "energy",
    "prices",
    "strike",
    "union",
    "rescue",
    "flood",
    "storm",
    "election",
    "campaign",
    "senate",
    "army",
]


def entries(feed_no: int, count: int, start: datetime) -> Iterator[Entry]:
    for i in range(count):
        words = [WORDS[(feed_no * 7 + i * j) % len(WORDS)] for j in range(1, 9)]
        title = " ".join(words).capitalize()
        body = ". ".join(" ".join(words[k:] + words[:k]) for k in range(6)) + "."
        yield Entry(
            uid=f"{feed_no}-{i}",
            title=title,
            url=f"https://bench.example/{feed_no}/{i}",
            published=(start - timedelta(minutes=feed_no + i * 200)).isoformat(timespec="seconds"),
            text=body + "\n\n" + body,
        )


def build(path: Path, stories: int, feeds: int = 200) -> float:
    started = time.perf_counter()
    lib = open_library(path)
    per_feed = stories // feeds
    now = datetime(2024, 5, 1, tzinfo=UTC)
    for f in range(feeds):
        feed = lib.add_feed(f"https://bench.example/feed/{f}.xml", title=f"Bench feed {f}")
        lib.upsert_entries(feed.id, entries(f, per_feed, now))
    lib.close()
    return time.perf_counter() - started


async def drive(path: Path, presses: int) -> dict[str, float]:
    from app.tui import BylineApp
    from widgets.story_list import StoryList

    lib = open_library(path)
    started = time.perf_counter()
    cpu_started = time.process_time()
    app = BylineApp(lib, None)
    figures: dict[str, float] = {}
    async with app.run_test(size=(140, 40)) as pilot:
        while True:
            screen = app.screen
            lists = screen.query(StoryList)
            # painted with real rows: the page under the cursor has been read
            if lists and lists.first().count > 0 and lists.first().page_ready(0):
                break
            await asyncio.sleep(0.001)
        await pilot.pause()  # the frame with the first page is painted
        figures["ready_s"] = time.perf_counter() - started
        # CPU time (all threads) is steadier than wall time on a shared machine.
        figures["ready_cpu_s"] = time.process_time() - cpu_started
        story_list = app.screen.query_one(StoryList)
        figures["count"] = story_list.count

        cpu: dict[str, float] = {}

        async def latency(key: str, name: str = "") -> list[float]:
            out = []
            started_cpu = time.process_time()
            for _ in range(presses):
                t = time.perf_counter()
                await pilot.press(key)
                out.append((time.perf_counter() - t) * 1000)
            cpu[name or key] = (time.process_time() - started_cpu) * 1000 / presses
            return out

        floor = await latency("f19")  # an unbound key: what Pilot itself costs per press
        down = await latency("j")
        up = await latency("k")
        story_list.set_cursor(story_list.count - 1)
        await pilot.pause()
        deep = await latency("k")
        await pilot.press("enter")  # the reader: j/k move its sentence cursor
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = [*await latency("j", "reader j"), *await latency("k", "reader k")]
        figures["reader_ms_median"] = statistics.median(reader)
        figures["cpu_floor_ms"] = cpu["f19"]
        figures["cpu_list_j_ms"] = cpu["j"]
        figures["cpu_reader_ms"] = (cpu["reader j"] + cpu["reader k"]) / 2
        figures["floor_ms_median"] = statistics.median(floor)
        figures["j_ms_median"] = statistics.median(down)
        figures["j_ms_p95"] = sorted(down)[int(len(down) * 0.95) - 1]
        figures["k_ms_median"] = statistics.median(up)
        figures["k_deep_ms_median"] = statistics.median(deep)
        figures["k_deep_ms_p95"] = sorted(deep)[int(len(deep) * 0.95) - 1]
    lib.close()
    return figures


def import_cost() -> float:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import app.tui"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stderr
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() == "app.tui":
            return int(parts[1]) / 1e6
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--presses", type=int, default=100)
    args = parser.parse_args()
    db = args.db or Path(f"/tmp/byline-bench-{args.stories // 1000}k.db")
    if not db.exists():
        seconds = build(db, args.stories)
        print(f"built {args.stories} stories in {seconds:.1f} s -> {db}")
    figures = asyncio.run(drive(db, args.presses))
    print(f"stories in list:            {int(figures['count'])}")
    print(f"ready (list painted):       {figures['ready_s'] * 1000:.0f} ms")
    print(f"ready, CPU time:            {figures['ready_cpu_s'] * 1000:.0f} ms")
    print(f"unbound key (Pilot floor):  {figures['floor_ms_median']:.1f} ms")
    print(
        f"j at the top, median / p95: {figures['j_ms_median']:.1f} / {figures['j_ms_p95']:.1f} ms"
    )
    print(f"k at the top, median:       {figures['k_ms_median']:.1f} ms")
    print(
        f"k at the end, median / p95: {figures['k_deep_ms_median']:.1f} / "
        f"{figures['k_deep_ms_p95']:.1f} ms"
    )
    print(f"reader j/k, median:         {figures['reader_ms_median']:.1f} ms")
    print(
        f"CPU per press: unbound {figures['cpu_floor_ms']:.1f} ms, list j "
        f"{figures['cpu_list_j_ms']:.1f} ms, reader j/k {figures['cpu_reader_ms']:.1f} ms"
    )
    print(f"import app.tui (cumulative): {import_cost() * 1000:.0f} ms")
    print("(Pilot latency includes Textual's own wait for the repaint.)")
    print(f"command: .venv/bin/python bench/tui_startup.py --stories {args.stories}")


if __name__ == "__main__":
    main()
