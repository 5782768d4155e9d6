"""How often the story Byline stores agrees with feedparser's own test suite.

Every file of ../shared/corpora/feedparser-tests/wellformed is subscribed as a local feed in
a fresh temporary library and refreshed through the real ingest path; the `Expect:` lines
that test a field Byline stores (an entry's title, link, summary or content, author, dates,
guid) are set against the stored story (see tests/reliability/feedparser_expect.py for how
values are compared). Prints the table, the command, and with --misses each disagreement.

    .venv/bin/python bench/feedparser_agreement.py [--misses]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPORA = ROOT.parent / "shared" / "corpora"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    if not (CORPORA / "feedparser-tests").is_dir():
        print(f"needs the shared corpora at {CORPORA}", file=sys.stderr)
        return 2

    from app.config import Settings
    from app.ingest.refresh import refresh_sync
    from storage import open_library
    from tests.reliability.feedparser_expect import measure, wellformed_files

    files = wellformed_files(CORPORA)
    with tempfile.TemporaryDirectory(prefix="byline-agreement-") as tmp:
        library = open_library(Path(tmp) / "library.db")
        for path in files:
            library.add_feed(str(path))
        started = time.perf_counter()
        report = refresh_sync(library, Settings(timeout=10, concurrency=16, per_host=16))
        seconds = time.perf_counter() - started
        result = measure(library, files)
        library.close()

    print(f"{len(files)} wellformed files refreshed in {seconds:.1f} s: {report.summary()}")
    for failure in report.failures:
        print(f"  refused: {Path(failure.url).relative_to(CORPORA)}: {failure.error}")
    print("\n".join(result.lines()))
    if args.misses:
        print("disagreements (file, entry, feedparser key: expected | stored):")
        for exp, stored in result.misses:
            where = exp.path.relative_to(CORPORA / "feedparser-tests" / "wellformed")
            print(f"  {where} [{exp.entry}] {exp.key}: {exp.expected!r:.90} | {stored!r:.90}")
    print("command: .venv/bin/python bench/feedparser_agreement.py" + (" --misses" * args.misses))
    return 0


if __name__ == "__main__":  # refresh starts worker processes ("spawn" re-imports this file)
    sys.exit(main())
