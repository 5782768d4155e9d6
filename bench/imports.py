"""Start-up imports: what `import app.cli` loads, and how long `byline --help` takes.

Runs `python -X importtime -c "import app.cli"` a few times in fresh interpreters, prints the
median total and the modules with the largest cumulative import time, and exits non-zero
(loudly) when a heavy module is loaded before a command needs it: the TUI (textual, rich),
the network and feed stack (httpx, feedparser), full-text extraction (trafilatura, lxml), or
Byline's own analysis, ingest and reader modules and the export format writers. Also times
`byline --help` against a bare `python -c pass`, so the figure is a difference measured on
the same machine, not an absolute.

    .venv/bin/python bench/imports.py [--runs N] [--top K]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
BYLINE = ROOT / ".venv" / "bin" / "byline"

# Module name prefixes that must not be loaded by `import app.cli` (a dot-free prefix also
# matches its submodules).
HEAVY = (
    "textual",
    "rich",
    "httpx",
    "httpcore",
    "feedparser",
    "trafilatura",
    "lxml",
    "sqlite_utils",
    "app.analysis",
    "app.export",  # the format modules; the package itself is kept light (LIGHT below)
    "app.ingest",
    "app.tui",
    "app.screens",
    "widgets",
)

# Light on purpose: the export package, its errors/result records and the selection help text
# (tests/test_export_light.py keeps them free of format modules).
LIGHT = {"app.export", "app.export.errors", "app.export.result", "app.export.select"}


def parse_importtime(stderr: str) -> dict[str, tuple[int, int]]:
    """{module: (self us, cumulative us)} from -X importtime output."""
    out: dict[str, tuple[int, int]] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        fields = line[len("import time:") :].split("|")
        if len(fields) != 3 or not fields[0].strip().isdigit():
            continue  # the header line
        out[fields[2].strip()] = (int(fields[0]), int(fields[1]))
    return out


def import_profile() -> tuple[dict[str, tuple[int, int]], int]:
    done = subprocess.run(
        [str(PYTHON), "-X", "importtime", "-c", "import app.cli"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"`import app.cli` failed:\n{done.stderr[-2000:]}")
    modules = parse_importtime(done.stderr)
    return modules, modules.get("app.cli", (0, 0))[1]


def is_heavy(name: str) -> bool:
    if name in LIGHT:
        return False
    return any(name == prefix or name.startswith(prefix + ".") for prefix in HEAVY)


def wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters (median)")
    parser.add_argument("--top", type=int, default=15, help="modules to list")
    args = parser.parse_args()

    totals = []
    modules: dict[str, tuple[int, int]] = {}
    for _ in range(args.runs):
        modules, total = import_profile()
        totals.append(total)
    heavy = sorted(name for name in modules if is_heavy(name))

    ours = sum(1 for name in modules if name.split(".")[0] in ("app", "storage", "widgets"))
    print(f"import app.cli: median {statistics.median(totals) / 1000:.1f} ms cumulative "
          f"({args.runs} runs), {len(modules)} modules, {ours} of Byline's")  # fmt: skip
    print(f"largest cumulative imports (last run, top {args.top}):")
    ranked = sorted(modules.items(), key=lambda kv: kv[1][1], reverse=True)[: args.top]
    for name, (own, cumulative) in ranked:
        print(f"  {cumulative / 1000:7.1f} ms  (self {own / 1000:5.1f})  {name}")

    bare = wall([str(PYTHON), "-c", "pass"], args.runs)
    helped = wall([str(BYLINE), "--help"], args.runs)
    print(f"byline --help: median {helped * 1000:.0f} ms wall; python -c pass {bare * 1000:.0f} ms;"
          f" Byline's own share {(helped - bare) * 1000:.0f} ms")  # fmt: skip
    print(f"command: .venv/bin/python bench/imports.py --runs {args.runs}")
    if heavy:
        print("\nFAIL: heavy modules load at `import app.cli`:", file=sys.stderr)
        for name in heavy:
            print(f"  {name}", file=sys.stderr)
        sys.exit(1)
    print("OK: none of " + ", ".join(HEAVY) + " is loaded at `import app.cli`")


if __name__ == "__main__":
    main()
