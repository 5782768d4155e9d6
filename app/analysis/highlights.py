"""Highlights a story comes with (a publisher's "Story highlights" block) or that we pick.

A publisher block ("Story highlights", "Key points", "What we know", or a bullet list ahead of
the body) is taken out of the body and each bullet becomes a highlight of kind ``publisher``,
anchored on the body sentence that says the same thing, so the reader can jump to it.
Without one, three ``summary`` sentences are chosen by position and centrality.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

from app.analysis.sentences import looks_like_code, preformatted_spans, split_sentences
from app.analysis.textstats import content_words
from storage.models import HighlightKind

SUMMARY_COUNT = 3
# Past this many sentences a story's summary is already decided: news puts it up front.
MAX_SUMMARY_SENTENCES = 200
MAX_ITEM_CHARS = 300
MIN_ITEMS = 2
MAX_ITEMS = 8

HEADING = re.compile(
    r"""^\W*(?:story\s+highlights|highlights|key\s+points|key\s+facts|what\s+we\s+know
        (?:\s+so\s+far)?|what\s+you\s+need\s+to\s+know|at\s+a\s+glance|in\s+brief|the\s+latest
        |quick\s+read|top\s+line|the\s+big\s+picture|need\s+to\s+know|summary|in\s+short
        |tl;?dr|(?:key\s+)?takeaways|main\s+points|key\s+findings)\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
BULLET = re.compile(r"^\s*(?:[•·▪◦●‣∙*–—-]|\d{1,2}[.)])\s+")
# Freshness labels publishers put in front of a bullet ("NEW:", "UPDATED:").
MARKER = re.compile(r"^(?:new|updated?|breaking|latest)\s*:\s*", re.IGNORECASE)


@dataclass(slots=True)
class HighlightSpan:
    """A highlight: offsets into the final text, and the words to show for it."""

    start: int
    end: int
    kind: HighlightKind
    text: str


@dataclass(slots=True)
class HighlightResult:
    text: str  # the body, with any publisher block taken out
    highlights: list[HighlightSpan]
    block_removed: bool = False


def clean_item(item: str) -> str:
    item = BULLET.sub("", " ".join(item.split()))
    return MARKER.sub("", item).strip()


# -- plain text -----------------------------------------------------------------------------
def split_publisher_block(text: str) -> tuple[list[str], str]:
    """Find a highlight block at the top of plain text: (items, body without the block).

    Returns ([], text) when there is none. Looked for only near the top, where publishers put
    it, so a list in the middle of a story stays where it is.
    """
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    nonblank = [i for i, line in enumerate(lines) if line.strip()][:12]
    for n, i in enumerate(nonblank[:5]):
        heading = HEADING.match(lines[i].strip()) is not None
        if heading:
            first = n + 1
        elif n <= 1 and BULLET.match(lines[i]):
            first = n
        else:
            continue
        items: list[int] = []
        bulleted = None
        for j in nonblank[first:]:
            line = lines[j]
            is_bullet = BULLET.match(line) is not None
            if bulleted is None:
                bulleted = is_bullet
            if len(line.strip()) > MAX_ITEM_CHARS or is_bullet != bulleted:
                break
            if not bulleted and line.rstrip().endswith(":"):
                break
            items.append(j)
            if len(items) == MAX_ITEMS:
                break
        if not bulleted and not heading:
            continue
        # A heading with plain lines under it: only accept short lines followed by a body.
        if len(items) < MIN_ITEMS or (not bulleted and len(items) > 5):
            continue
        if items[-1] == nonblank[-1]:
            continue  # nothing after the list: it is the story, not a block ahead of it
        if not _sentence_like([clean_item(lines[j]) for j in items]):
            continue  # "Order Reprints", "Print Article": a toolbar, not highlights
        start = offsets[i]
        end = offsets[items[-1]] + len(lines[items[-1]])
        body = (text[:start].rstrip() + "\n\n" + text[end:].lstrip()).strip("\n")
        if not text[:start].strip():
            body = text[end:].lstrip()
        return _without_furniture([clean_item(lines[j]) for j in items]), body
    return [], text


# A bullet that points elsewhere rather than summing the story up.
_FURNITURE_ITEM = re.compile(
    r"^(?:visit|subscribe|sign up|follow us|click|read more|download|share)\b", re.IGNORECASE
)


def _without_furniture(items: list[str]) -> list[str]:
    """ "Visit Business Insider's homepage for more stories." closing a list of key points."""
    return [i for i in items if not _FURNITURE_ITEM.match(i)] or items


def _sentence_like(items: list[str]) -> bool:
    """Bullets that sum a story up are short sentences, not one- or two-word labels."""
    return sum(len(i.split()) for i in items) >= 4 * len(items)


def remove_items(text: str, items: list[str]) -> str:
    """Take known highlight bullets (found in a page's HTML) out of an extracted body, with
    the heading above them. Only near the top: the same words later on are the story's."""
    out = text
    first = None
    for item in items:
        pattern = r"\s*".join(re.escape(w) for w in item.split())
        if not pattern:
            continue
        m = re.search(
            r"(?m)^[^\S\n]*(?:[•·▪*–—-][^\S\n]*)?(?:[A-Z]+:\s*)?" + pattern + r"[^\S\n]*(?:\n|$)",
            out,
        )
        if m and m.start() < max(3000, len(out) // 3):
            out = out[: m.start()] + out[m.end() :]
            first = m.start() if first is None else min(first, m.start())
    if first is None:
        return text
    before = out[:first].rstrip()
    line_start = before.rfind("\n") + 1
    if HEADING.match(before[line_start:].strip()):
        out = before[:line_start] + "\n" + out[first:]
    return re.sub(r"\n{3,}", "\n\n", out).strip("\n")


# -- HTML -----------------------------------------------------------------------------------
class _BlockFinder(HTMLParser):
    """Collects list items of a list that follows a highlights heading or is marked as one."""

    CLASS_HINT = re.compile(r"h(?:igh)?l(?:igh)?ght|key-?points|keypoints|summary", re.I)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str] = []
        self.armed = 0  # events left in which a list counts as the heading's
        self.list_depth = 0
        self.collecting = False
        self.current: list[str] | None = None
        self.done = False
        self.skip = 0
        self.links = 0  # open <a> tags
        self.linked = 0  # items that are nothing but a link (a list of headlines, a menu)
        self.item_text = 0  # characters of the current item
        self.item_link_text = 0  # ... of them inside links

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag in ("script", "style"):
            self.skip += 1
            return
        if tag in ("ul", "ol"):
            classes = " ".join(v or "" for k, v in attrs if k in ("class", "id"))
            if self.list_depth == 0 and (self.armed > 0 or self.CLASS_HINT.search(classes)):
                self.collecting = True
            self.list_depth += 1
        elif tag == "li" and self.collecting and self.list_depth == 1:
            self.current = []
            self.item_text = self.item_link_text = 0
        elif tag == "a":
            self.links += 1
        elif tag in ("br",) and self.current is not None:
            self.current.append(" ")
        if self.armed:
            self.armed -= 1

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "a":
            self.links = max(0, self.links - 1)
        elif tag == "li" and self.current is not None:
            item = clean_item("".join(self.current))
            if item:
                self.items.append(item)
                if self.item_link_text >= 0.8 * self.item_text:
                    self.linked += 1
            self.current = None
        elif tag in ("ul", "ol") and self.list_depth:
            self.list_depth -= 1
            if self.list_depth == 0 and self.collecting:
                self.collecting = False
                if _looks_like_highlights(self.items, self.linked):
                    self.done = True
                else:
                    self.items = []
                self.linked = 0

    def handle_data(self, data: str) -> None:
        if self.done or self.skip:
            return
        if self.current is not None:
            self.current.append(data)
            size = len(data.strip())
            self.item_text += size
            if self.links:
                self.item_link_text += size
        elif data.strip() and HEADING.match(data.strip()):
            self.armed = 12


def _looks_like_highlights(items: list[str], linked: int) -> bool:
    """Bullets that sum a story up: a few sentences of plain text. A list of links (a
    sidebar's headlines under "In brief") or of two-word labels (a toolbar's "Order
    Reprints", "Print Article") is page furniture."""
    if len(items) < MIN_ITEMS or any(len(i) > MAX_ITEM_CHARS for i in items):
        return False
    return linked * 2 <= len(items) and _sentence_like(items)


def publisher_items_from_html(html: str) -> list[str]:
    """The bullets of a page's highlights block ("STORY HIGHLIGHTS" + a list), if any."""
    finder = _BlockFinder()
    try:
        finder.feed(html)
        finder.close()
    except Exception:  # a broken page has no block we can trust
        return []
    return _without_furniture(finder.items[:MAX_ITEMS]) if finder.done else []


# -- anchoring and summaries -----------------------------------------------------------------
def _stems(text: str) -> set[str]:
    # Five letters are enough to match "fail"/"failed", "forecast"/"forecasters".
    return {w[:5] for w in content_words(text)}


def anchor_items(text: str, items: list[str]) -> list[HighlightSpan]:
    """Anchor each bullet on the body sentence that shares the most words with it."""
    spans = split_sentences(text)[:MAX_SUMMARY_SENTENCES]
    stems = [_stems(text[s:e]) for s, e in spans]
    # A word found in few sentences says more about which one a bullet sums up.
    spread = Counter(w for have in stems for w in have)
    out = []
    for item in items:
        want = _stems(item)
        best, best_score = None, 0.0
        for (s, e), have in zip(spans, stems, strict=True):
            shared = want & have
            if not shared:
                continue
            score = sum(1.0 / spread[w] for w in shared) - 0.001 * (len(have) / 40)
            if score > best_score:
                best, best_score = (s, e), score
        if best is None:
            best = spans[0] if spans else (0, len(text))
        out.append(HighlightSpan(best[0], best[1], "publisher", item))
    return out


def summary_sentences(
    text: str, count: int = SUMMARY_COUNT, title: str = ""
) -> list[HighlightSpan]:
    """Pick `count` sentences that say what the story is about, in reading order."""
    spans = split_sentences(text)[:MAX_SUMMARY_SENTENCES]
    if not spans:
        return []
    code = preformatted_spans(text)
    bags = [content_words(text[s:e]) for s, e in spans]
    doc = Counter(w for bag in bags for w in set(bag))
    title_words = set(content_words(title))
    n = len(spans)
    scored = []
    for i, ((s, e), bag) in enumerate(zip(spans, bags, strict=True)):
        length = len(bag)
        if length < 4 or e - s > 600:
            continue  # datelines, captions and run-on blocks read badly as a summary
        if (
            text[s:e].rstrip().endswith(":")
            or any(a < e and s < b for a, b in code)
            or looks_like_code(text[s:e])
        ):
            continue  # code is no summary, nor a line that leads into a list or a listing
        unique = set(bag)
        # Centrality: how much of the sentence recurs elsewhere in the story.
        central = sum(doc[w] - 1 for w in unique) / (len(unique) ** 0.7)
        central += 2.0 * len(unique & title_words) / (len(title_words) or 1)
        position = 1.0 + 1.5 / (1 + i) + (0.3 if i < n * 0.2 else 0.0)
        scored.append((central * position + position, i, s, e))
    if not scored:
        scored = [(0.0, i, s, e) for i, (s, e) in enumerate(spans)]
    chosen: list[tuple[float, int, int, int]] = []
    seen: set[str] = set()
    for item in sorted(scored, key=lambda t: (-t[0], t[1])):
        words = " ".join(text[item[2] : item[3]].lower().split())
        if words in seen:
            continue  # a recipe's "1 Green, 1 Red, 1 tsp." twice is one highlight
        seen.add(words)
        chosen.append(item)
        if len(chosen) == count:
            break
    chosen.sort(key=lambda t: t[1])
    return [HighlightSpan(s, e, "summary", text[s:e]) for _, _, s, e in chosen]


def find_highlights(
    text: str, *, title: str = "", publisher_items: list[str] | None = None
) -> HighlightResult:
    """Highlights for a story's text; the returned text is the body offsets refer to."""
    items = [i for i in (publisher_items or []) if i]
    body = text
    removed = False
    if items:
        stripped = remove_items(text, items)
        removed = stripped != text
        body = stripped
    else:
        items, body = split_publisher_block(text)
        removed = bool(items)
    if items:
        return HighlightResult(body, anchor_items(body, items), removed)
    return HighlightResult(body, summary_sentences(body, title=title), False)
