"""A fast path for plain, well-formed RSS 2.0, RSS 1.0 and Atom 1.0: lxml instead of feedparser.

feedparser costs about 1 ms per item on the machines we measure on; most feeds are ordinary,
well-formed XML that lxml reads in a fraction of that. This path reads only those, the way
feedparser reads them: its fields and precedences, in the order it meets the elements (a
second description becomes the content, a title blocks deeper ones, the last date wins), with
its finishing of every value (trimmed, mojibake mended, C1 controls as Windows-1252). It
declines -- returns None, so the caller uses feedparser -- at the first thing it is not sure
of: XML that is not well-formed (feedparser recovers what it can from broken feeds), an unknown
root or version, a charset disagreement, a DTD that declares entities, XHTML content, an
element feedparser has a handler for that this path does not read, a link the feed's URL
would change when none was given. Where feedparser's rule is a small function of a string (a
date, whether plain text looks like HTML, an author's name and email, joining a link to a
base) it asks feedparser itself rather than imitate it.
tests/test_parse_differential.py checks it against feedparser over the corpora, and
tests/test_fastparse.py on the shapes it learned, plus random feeds built from them.

The modules: document (the checks on the whole document, and parse_fast), rss and atom
(the feed's title and link, and its entries), fields (one entry's fields as feedparser
stores them, in document order), elements (the names feedparser knows an element by, and
which it reads), links (the feed's base, resolving links and ids), values (text and dates
as feedparser finishes them), decline (the signal to leave a feed to feedparser).
"""

from __future__ import annotations

from app.ingest.fastparse.decline import Decline
from app.ingest.fastparse.document import parse_fast

__all__ = ["Decline", "parse_fast"]
