"""Split plain text into sentences, as character spans into the text.

A rule-based splitter tuned for news copy: it knows common abbreviations (Mr., Sen., U.S.,
Jan.), initials (J. R. R.), decimals, and closing quotes after the full stop.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    re.findall(
        r"\S+",
        """
    mr mrs ms dr prof sr jr st mt ft gen col lt sgt maj capt cmdr adm gov sen rep rev pres
    supt insp det atty jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri
    sat sun inc corp co ltd bros dept univ assn est vs etc no nos vol fig approx ave blvd rd
    hon messrs mme mlle ret sec
    """,
    )
)
# Offices a dotted abbreviation ("U.S.", "U.N.") often qualifies.
_TITLE_AFTER_ABBREVIATION = re.compile(
    r"(?:Attorney|Ambassador|Senator|Sen\.|Rep\.|Representative|District|Marshal|Secretary|"
    r"Judge|Envoy|Embassy|Army|Navy|Congressman|Congresswoman|Special Envoy)\b"
)
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace.
BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s)""")
PARAGRAPH = re.compile(r"\n\s*\n")
# Two or more indented lines in a row: a <pre> block (code, a config file, a command listing)
# kept with its indentation. Plain text that indents the first line of each paragraph never
# indents two lines running.
_PREFORMATTED = re.compile(r"(?m)^[ \t]+\S[^\n]*\n(?:[ \t]+\S[^\n]*(?:\n|$))+")


_CODE_MARK = re.compile(r"[{}()\[\];=<>$\\|&_/]")
# A line holding a quote mark, found without splitting the text.
_MARKED_LINE = re.compile(r"(?m)^[^\n]*[\"“”][^\n]*")


def dense_with_code_marks(line: str) -> bool:
    """A line made mostly of code's punctuation: `{"className":"List"}`, `A -- "Uses" --> B`."""
    stripped = line.strip()
    marks = len(_CODE_MARK.findall(stripped))
    return marks >= 4 and marks >= 0.06 * len(stripped)


def looks_like_code(line: str) -> bool:
    """A line of code that was not indented: `add_filter( 'x', 'y' );`, `foo = bar();`."""
    stripped = line.strip()
    if stripped.endswith((";", "{", "}")) or stripped.startswith(("//", "#!", "$")):
        return True
    return dense_with_code_marks(stripped)


def code_spans(text: str) -> list[tuple[int, int]]:
    """Preformatted blocks, and lines with quote marks that are mostly code's punctuation
    (JSON, a diagram's source, markup): where quote marks delimit strings, in order."""
    spans = preformatted_spans(text)
    lines = [
        (m.start(), m.end())
        for m in _MARKED_LINE.finditer(text)
        if dense_with_code_marks(m.group(0)) and not any(a <= m.start() < b for a, b in spans)
    ]
    return sorted(spans + lines) if lines else spans


def preformatted_spans(text: str) -> list[tuple[int, int]]:
    """Where the text's preformatted blocks are."""
    if "\n " not in text and "\n\t" not in text and text[:1] not in (" ", "\t"):
        return []
    return [(m.start(), m.end()) for m in _PREFORMATTED.finditer(text)]


def _is_false_stop(text: str, stop: int, after: int) -> bool:
    """True when the full stop ending at `stop` does not end a sentence."""
    if text[after : after + 1] in "―—–":
        return True  # `“Nobody asked us.” ― Lena Okafor`: the credit goes with its quote
    if text[stop - 1] != ".":
        # `"Why now?" she asked.`: a lower-case word after ?/! carries the same sentence on.
        nxt = text[after : after + 1]
        return text[stop - 1] in "?!" and bool(nxt) and nxt.islower()
    word_start = stop - 1
    while (
        word_start > 0 and not text[word_start - 1].isspace() and text[word_start - 1] not in '("“'
    ):
        word_start -= 1
    word = text[word_start : stop - 1]
    bare = word.strip("'\"“‘").lower()
    if bare in ABBREVIATIONS:
        return True
    # Initials and dotted abbreviations: "J.", "U.S.", "a.m." followed by a capital.
    if re.fullmatch(r"(?:[a-z]\.)*[a-z]", bare):
        nxt = text[after : after + 1]
        if len(bare) == 1 and bare.isalpha() and text[word_start].isupper():
            return True
        if "." in bare and nxt and not nxt.isupper():
            return True
        if "." in bare and _TITLE_AFTER_ABBREVIATION.match(text, after):
            return True  # "said U.S. Attorney Nealy Cox": a title, not a new sentence
    nxt = text[after : after + 1]
    # A lower-case continuation rarely starts a sentence.
    return bool(nxt) and nxt.islower()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) covering the non-blank text; paragraphs always split."""
    spans: list[tuple[int, int]] = []
    para_start = 0
    for para_end in [m.start() for m in PARAGRAPH.finditer(text)] + [len(text)]:
        _split_paragraph(text, para_start, para_end, spans)
        nxt = PARAGRAPH.match(text, para_end)
        para_start = nxt.end() if nxt else para_end
    return spans


# A line break inside a paragraph ends a sentence (a vox pop, a poem, a list written with
# <br>) unless the next line goes on in lower case, as a hard-wrapped line does.
LINE_BREAK = re.compile(r"[^\S\n]*\n[^\S\n]*(?=[^\s\da-z])")


def _split_paragraph(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    if "\n" in text[start:end]:
        lines = start
        for m in LINE_BREAK.finditer(text, start, end):
            _split_line(text, lines, m.start(), spans)
            lines = m.end()
        _split_line(text, lines, end, spans)
    else:
        _split_line(text, start, end, spans)


def _split_line(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    cursor = start
    for m in BOUNDARY.finditer(text, start, end):
        stop = m.end()
        after = stop
        while after < end and text[after].isspace():
            after += 1
        if after >= end:
            break
        dot = m.start() + len(m.group(0).rstrip("\"'”’)]"))
        if _is_false_stop(text, dot, after):
            continue
        _add(text, cursor, stop, spans)
        cursor = after
    _add(text, cursor, end, spans)


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
