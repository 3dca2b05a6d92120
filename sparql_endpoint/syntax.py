"""A syntax error in one sentence, with its position, instead of the parser's dump.

pyoxigraph reports ``error at 3:7: expected one of BIND, [_]`` or, for an unknown prefix,
a list of Unicode ranges. ``explain()`` turns that into what a person can act on:
"Unknown prefix `foo:` at line 1, column 21: declare it with PREFIX foo: <…>." or
"Unexpected `}` at line 3, column 7; expected BIND.", and the line and column, so that
the query page can mark the place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sparql_endpoint.scan import QUERY_FORMS, TOKEN, UPDATE_KEYWORDS

_AT = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_PNAME_BEFORE = re.compile(r"([A-Za-z\u00C0-\uFFFF][\w\-.\u00B7\u00C0-\uFFFF]*)?:[\w\-.:%]*$")
_KEYWORD = re.compile(r"(?<![\w'\"])([A-Z]{2,}|[a-z]+[A-Z][A-Za-z]*)(?![\w'\"])")
_HEX = re.compile(r"^[0-9A-F]+$")
_PAIRS = {"}": "{", ")": "(", "]": "["}
MAX_EXPECTED = 8


@dataclass(frozen=True)
class Problem:
    message: str  # one sentence (or two)
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based, in characters


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    if line < 1 or line > len(lines):
        return len(text)
    return sum(len(lines[i]) + 1 for i in range(line - 1)) + max(0, column - 1)


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


def _expected(detail: str) -> list[str]:
    words = []
    for word in _KEYWORD.findall(detail.removeprefix("expected one of ").removeprefix("expected ")):
        # keywords, not the hexadecimal bounds of the Unicode ranges the parser lists
        if word not in words and word != "IRI" and not _HEX.match(word):
            words.append(word)
    return words


def _structure(text: str) -> Problem | None:
    """What a person sees first: a misspelt query form, an unterminated string, a
    bracket closed twice or never (strings, IRIs and comments are skipped as tokens)."""
    opened: list[tuple[str, int]] = []
    first_word = True
    for match in TOKEN.finditer(text):
        kind, token, start = match.lastgroup, match.group(), match.start()
        if kind in ("ws", "comment"):
            continue
        line, column = 0, 0  # worked out only for the token reported (it costs O(n))
        if kind == "badstring":
            line, column = _position(text, start)
            return Problem(
                f"The string that starts at line {line}, column {column} is never closed.",
                line,
                column,
            )
        if kind == "word" and first_word:
            word = token.upper()
            if word in ("PREFIX", "BASE"):
                continue
            first_word = False
            if word not in QUERY_FORMS and word not in UPDATE_KEYWORDS:
                line, column = _position(text, start)
                return Problem(
                    f"Unknown query form `{token}` at line {line}, column {column}: a query "
                    "starts with SELECT, ASK, CONSTRUCT or DESCRIBE (after any PREFIX lines).",
                    line,
                    column,
                )
        if kind != "other":
            continue
        if token in "{([":
            opened.append((token, start))
        elif token in _PAIRS:
            line, column = _position(text, start) if not opened else (0, 0)
            if not opened:
                return Problem(
                    f"Unexpected `{token}` at line {line}, column {column}: there is no "
                    f"`{_PAIRS[token]}` for it to close.",
                    line,
                    column,
                )
            bracket, where = opened.pop()
            if bracket != _PAIRS[token]:
                line, column = _position(text, start)
                at_line, at_column = _position(text, where)
                return Problem(
                    f"Unexpected `{token}` at line {line}, column {column}: the `{bracket}` "
                    f"opened at line {at_line}, column {at_column} is still open.",
                    line,
                    column,
                )
    if opened:
        bracket, where = opened[-1]
        line, column = _position(text, where)
        return Problem(
            f"The query ends before the `{bracket}` opened at line {line}, column {column} is "
            "closed.",
            line,
            column,
        )
    return None


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def explain(text: str, message: str) -> Problem:
    """The parser's ``message`` about ``text`` as a sentence and a position."""
    found = _AT.match(message.strip())
    if not found:
        return Problem(f"The query is not valid SPARQL: {message.strip()}")
    line, column, detail = int(found[1]), int(found[2]), found[3]
    offset = _offset(text, line, column)
    structural = _structure(text)
    if structural is not None:
        return structural
    if "Prefix not found" in detail:
        window = max(0, offset - 300)  # a prefixed name is short; keep the search linear
        pname = _PNAME_BEFORE.search(text[window:offset])
        if pname:
            prefix = pname[1] or ""
            line, column = _position(text, window + pname.start())
            return Problem(
                f"Unknown prefix `{prefix}:` at line {line}, column {column}: declare it "
                f"with PREFIX {prefix}: <…>, or use one of the predeclared prefixes.",
                line,
                column,
            )
    if "IRI parsing failed" in detail:
        start = text.rfind("<", 0, offset + 1)
        if start >= 0:
            end = text.find(">", start)
            iri = text[start : end + 1 if end >= 0 else offset]
            line, column = _position(text, start)
            return Problem(
                f"Invalid IRI `{iri}` at line {line}, column {column}: an IRI may not contain "
                "spaces, quotes, braces or other reserved characters.",
                line,
                column,
            )
    expected = _expected(detail)
    hint = f"; expected {_or(expected)}" if expected and len(expected) <= MAX_EXPECTED else ""
    token = _token_at(text, offset)
    if token is None:
        return Problem(
            f"The query ends too early at line {line}, column {column}{hint}.", line, column
        )
    shown, start = token
    if len(shown) > 40:
        shown = shown[:40] + "…"
    line, column = _position(text, start)
    return Problem(f"Unexpected `{shown}` at line {line}, column {column}{hint}.", line, column)


def _token_at(text: str, offset: int) -> tuple[str, int] | None:
    """The token that contains ``offset``, or else the next one."""
    for match in TOKEN.finditer(text):
        if match.lastgroup in ("ws", "comment"):
            continue
        if match.end() > offset:
            return match.group(), match.start()
    return None


def excerpt(text: str, line: int, column: int) -> list[str]:
    """The line with the error and a caret under its column (for a <pre>)."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return []
    number = f"{line} | "
    return [number + lines[line - 1], " " * (len(number) + column - 1) + "^"]
