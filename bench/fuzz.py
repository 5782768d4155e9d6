"""Fuzz the paths untrusted text takes, for a given number of minutes.

Runs the property checks of tests/reliability/test_properties.py (clean, parse, parse then
store, analysis, the screen's safe text, export) with Hypothesis, round after round with
fresh random input, until the time is up; plus raw bytes into the parser. Each failure is
printed with its smallest example (Hypothesis shrinks it) and the run goes on with the other
targets. Prints examples run per target, what was found, and the command.

    .venv/bin/python bench/fuzz.py --minutes 10 [--only parse,clean] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as fixed_seed  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.reliability import test_properties as props  # noqa: E402

TARGETS: dict[str, tuple[Callable[..., None], tuple[st.SearchStrategy, ...], int]] = {
    # name: (check, strategies, examples per round; export builds a library each time)
    "clean": (props.check_clean, (props.hostile_text,), 500),
    "parse": (props.check_parse, (props.feed_documents(),), 300),
    "parse-bytes": (props.check_parse, (st.binary(max_size=4000),), 500),
    "store": (props.check_store, (props.feed_documents(),), 300),
    "analysis": (props.check_analysis, (props.story_text, props.story_text), 300),
    "markup": (props.check_markup, (props.hostile_text,), 500),
    "export": (
        props.check_export,
        (
            st.lists(props.hostile_text, min_size=1, max_size=4),
            st.lists(props.story_text, min_size=1, max_size=4),
        ),
        20,
    ),
}


def run_round(name: str, examples: int, seed: int, counts: Counter[str]) -> str | None:
    """One round of `examples` fresh examples; the failure's report, or None."""
    check, strategies, _ = TARGETS[name]

    def counted(args: tuple[object, ...]) -> None:
        counts[name] += 1
        check(*args)

    test = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )(given(st.tuples(*strategies))(counted))
    test = fixed_seed(seed)(test)
    try:
        test()
    except Exception:
        return traceback.format_exc(limit=-6)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--only", default="", help="comma-separated targets: " + ", ".join(TARGETS))
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n] or list(TARGETS)
    unknown = set(names) - set(TARGETS)
    if unknown:
        print(f"unknown targets: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    found: dict[str, str] = {}
    started = time.monotonic()
    deadline = started + args.minutes * 60
    rounds = 0
    while time.monotonic() < deadline:
        for name in names:
            if name in found or time.monotonic() >= deadline:
                continue
            failure = run_round(name, TARGETS[name][2], rng.randrange(1 << 30), counts)
            if failure is not None:
                found[name] = failure
                print(f"FOUND in {name}:\n{failure}", flush=True)
        rounds += 1
        if len(found) == len(names):
            break
    minutes = (time.monotonic() - started) / 60
    print(f"fuzzed {minutes:.1f} minutes, {rounds} rounds, seed {seed}")
    for name in names:
        status = "FAILED" if name in found else "ok"
        print(f"  {name:<12} {counts[name]:>8} examples  {status}")
    only = f" --only {args.only}" if args.only else ""
    print(f"command: .venv/bin/python bench/fuzz.py --minutes {args.minutes:g}{only} --seed {seed}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
