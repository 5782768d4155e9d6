"""Topic rules: boolean expressions over a story's title and text.

    ukraine AND (arms OR weapons OR javelin*) AND NOT "world cup"

Operators AND, OR, NOT (any case; quote a word to mean the word itself), parentheses,
"quoted phrases" and prefix* terms. Two terms side by side mean AND. Matching is
case-insensitive and on whole words: ``arms`` does not match "harms" or "armstrong".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.analysis.textstats import POSSESSIVE, words


class RuleError(ValueError):
    """A rule that cannot be read; the message says what and where."""


def _words(text: str) -> list[str]:
    return words(POSSESSIVE.sub("", text.lower().replace("’", "'")))


def _norm(token: str) -> str:
    return token[:-2] if token.endswith("'s") else token


class RuleDocument:
    """A story's words, indexed once so many rules can be tried on it cheaply."""

    __slots__ = ("_positions", "tokens", "words")

    def __init__(self, title: str, text: str) -> None:
        # A gap token keeps a phrase from matching across the title/body seam.
        self.tokens = [*_words(title), "\x00", *_words(text)]
        self.words = set(self.tokens)
        # Where each word stands, built on the first phrase that may match: most rules ask
        # only whether words are there, and the set answers that (building this for every
        # story was most of a rule check).
        self._positions: dict[str, list[int]] | None = None

    def has_word(self, word: str) -> bool:
        return word in self.words

    def has_prefix(self, prefix: str) -> bool:
        return any(tok.startswith(prefix) for tok in self.words)

    def has_phrase(self, phrase: list[str]) -> bool:
        if len(phrase) == 1:
            return self.has_word(phrase[0])
        if not self.words.issuperset(phrase):
            return False
        if self._positions is None:
            self._positions = {}
            for i, tok in enumerate(self.tokens):
                self._positions.setdefault(tok, []).append(i)
        first, rest = phrase[0], phrase[1:]
        toks, n = self.tokens, len(rest)
        return any(toks[i + 1 : i + 1 + n] == rest for i in self._positions.get(first, ()))


Matcher = Callable[[RuleDocument], bool]

TOKEN = re.compile(
    r'\s*(?:(?P<open>\()|(?P<close>\))|"(?P<phrase>[^"]*)"|(?P<quote>")|(?P<word>[^\s()"]+))'
)
OPERATORS = {"and", "or", "not"}


@dataclass(slots=True)
class _Tok:
    kind: str  # open, close, phrase, word, and, or, not, end
    value: str
    pos: int


def _tokenise(expr: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(expr):
        if expr[pos:].strip() == "":
            break
        m = TOKEN.match(expr, pos)
        if m is None:  # pragma: no cover - every non-space character matches some branch
            raise RuleError(f"cannot read the rule at character {pos + 1}")
        kind = m.lastgroup or ""
        at = m.start(kind) + 1
        if kind == "quote":
            raise RuleError(f"a quoted phrase opened at character {at} is never closed")
        value = m.group(kind)
        if kind == "word" and value.lower() in OPERATORS:
            kind = value.lower()
        out.append(_Tok(kind, value, at))
        pos = m.end()
    out.append(_Tok("end", "", len(expr) + 1))
    return out


class _Parser:
    def __init__(self, expr: str) -> None:
        self.toks = _tokenise(expr)
        self.i = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Matcher:
        if self.peek().kind == "end":
            raise RuleError("the rule is empty")
        m = self.parse_or()
        tok = self.peek()
        if tok.kind == "close":
            raise RuleError(f"')' at character {tok.pos} has no matching '('")
        if tok.kind != "end":  # pragma: no cover - parse_and consumes every other token
            raise RuleError(f"unexpected {tok.value!r} at character {tok.pos}")
        return m

    def parse_or(self) -> Matcher:
        parts = [self.parse_and()]
        while self.peek().kind == "or":
            self._operand_after(self.take())
            parts.append(self.parse_and())
        if len(parts) == 1:
            return parts[0]
        return lambda doc: any(p(doc) for p in parts)

    def parse_and(self) -> Matcher:
        parts = [self.parse_not()]
        while self.peek().kind in ("and", "not", "open", "phrase", "word"):
            if self.peek().kind == "and":
                self._operand_after(self.take())
            parts.append(self.parse_not())
        if len(parts) == 1:
            return parts[0]
        return lambda doc: all(p(doc) for p in parts)

    def parse_not(self) -> Matcher:
        if self.peek().kind == "not":
            self._operand_after(self.take())
            inner = self.parse_not()
            return lambda doc: not inner(doc)
        return self.parse_primary()

    def _operand_after(self, op: _Tok) -> None:
        if self.peek().kind in ("end", "close", "and", "or"):
            raise RuleError(
                f"{op.value.upper()} at character {op.pos} needs a word or phrase after it"
            )

    def parse_primary(self) -> Matcher:
        tok = self.take()
        if tok.kind == "open":
            inner = self.parse_or()
            close = self.take()
            if close.kind != "close":
                raise RuleError(f"'(' at character {tok.pos} is never closed")
            return inner
        if tok.kind == "phrase":
            phrase = [_norm(w) for w in words(tok.value)]
            if not phrase:
                raise RuleError(f"the quoted phrase at character {tok.pos} has no words")
            return lambda doc: doc.has_phrase(phrase)
        if tok.kind == "word":
            return _term(tok)
        if tok.kind == "end":
            raise RuleError("the rule ends where a word or phrase was expected")
        if tok.kind == "close":
            raise RuleError(f"')' at character {tok.pos} comes where a word was expected")
        raise RuleError(
            f"{tok.value.upper()} at character {tok.pos} needs a word or phrase before it"
        )


def _term(tok: _Tok) -> Matcher:
    raw = tok.value
    prefix = raw.endswith("*")
    body = raw.rstrip("*")
    if "*" in body:
        raise RuleError(f"'*' may only end a word (character {tok.pos}: {raw!r})")
    parts = [_norm(w) for w in words(body)]
    if not parts:
        raise RuleError(f"{raw!r} at character {tok.pos} is not a word")
    if prefix:
        if len(parts) != 1:
            raise RuleError(f"a prefix* must be one word (character {tok.pos}: {raw!r})")
        stem = parts[0]
        return lambda doc: doc.has_prefix(stem)
    # "U.S." or "al-Assad's" may read as several words: they must then appear in a row.
    return lambda doc: doc.has_phrase(parts)


@dataclass(slots=True)
class Rule:
    expr: str
    matcher: Matcher

    def matches(self, doc: RuleDocument) -> bool:
        return self.matcher(doc)

    def matches_text(self, title: str, text: str) -> bool:
        return self.matcher(RuleDocument(title, text))


def compile_rule(expr: str) -> Rule:
    """Read a rule; raises RuleError with a one-line reason when it is malformed."""
    return Rule(expr.strip(), _Parser(expr).parse())


def validate_rule(expr: str) -> None:
    compile_rule(expr)
