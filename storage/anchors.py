"""Text anchors: find a highlighted passage again after the story's text has changed.

An anchor is the exact passage plus a little context on each side (as the W3C Web
Annotation TextQuoteSelector does). Offsets are tried first, then every occurrence of the
exact text is scored by how much of the context still matches.
"""

from __future__ import annotations

CONTEXT = 32


def context_of(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The exact passage and its prefix and suffix, for storing next to the offsets."""
    return text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def reanchor(
    text: str, exact: str, prefix: str, suffix: str, old_start: int
) -> tuple[int, int] | None:
    """Where the passage is in `text` now, or None when it is gone."""
    if not exact:
        return None
    if old_start >= 0 and text[old_start : old_start + len(exact)] == exact:
        before = text[max(0, old_start - len(prefix)) : old_start]
        after = text[old_start + len(exact) : old_start + len(exact) + len(suffix)]
        if before == prefix and after == suffix:
            return old_start, old_start + len(exact)
    best: tuple[float, int] | None = None
    pos = text.find(exact)
    while pos != -1:
        score = _common_suffix(text[max(0, pos - len(prefix)) : pos], prefix) + _common_prefix(
            text[pos + len(exact) : pos + len(exact) + len(suffix)], suffix
        )
        # Prefer the occurrence nearest the old place when the context ties.
        rank = score - abs(pos - old_start) / (len(text) + 1)
        if best is None or rank > best[0]:
            best = (rank, pos)
        pos = text.find(exact, pos + 1)
    if best is None:
        return None
    return best[1], best[1] + len(exact)
