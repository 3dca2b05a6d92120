"""A lexical look at a SPARQL request before it reaches the engine.

pyoxigraph exposes no query algebra, so the policy checks (is this an update? does it
call SERVICE, and where?) read the token stream. The tokenizer follows the SPARQL 1.1
grammar's terminals closely enough that a keyword can never hide inside a string, an
IRI, a comment, a variable or a prefixed name, and nothing else can pose as one. It is
one of two guards: worker processes also cannot open network sockets (``sandbox``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Terminals that can contain arbitrary text, longest alternatives first.
TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    # An unterminated string (a syntax error anyway) runs to the end of its line, or of
    # the text for long strings, so that a failed match is never retried char by char.
    | (?P<badstring>'''(?:[^'\\]|\\.|'(?!''))*|\"\"\"(?:[^"\\]|\\.|"(?!""))*
                 |'(?:[^'\\\n\r]|\\.)*|"(?:[^"\\\n\r]|\\.)*)
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<var>[?$][\w\u00B7\u00C0-\uFFFF]+)
    | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7\u00C0-\uFFFF]*)?:
                (?:[\w\-.:%\\\u00B7\u00C0-\uFFFF]|\\.)*)
    | (?P<word>[A-Za-z_][\w\-]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


@dataclass
class Scan:
    """What the token stream says about a request."""

    form: str | None = None  # SELECT / ASK / CONSTRUCT / DESCRIBE, or the update keyword
    is_update: bool = False
    prefixes: dict[str, str] = field(default_factory=dict)
    base: str | None = None
    # Each SERVICE clause's target as written: an absolute IRI, or None when it is a
    # variable, a relative IRI or a prefix the query does not declare.
    services: list[str | None] = field(default_factory=list)
    has_from: bool = False
    depth: int = 0  # deepest nesting of { } ( ) [ ]
    names_used: set[str] = field(default_factory=set)  # prefixes of its prefixed names


Token = tuple[str, str]  # (kind, text): plain tuples, as a query has hundreds of tokens
_SKIPPED = frozenset({"ws", "comment"})


def tokens(text: str) -> list[Token]:
    return [
        (m.lastgroup or "other", m.group())
        for m in TOKEN.finditer(text)
        if m.lastgroup not in _SKIPPED
    ]


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(iri: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")


def scan(text: str) -> Scan:
    result = Scan()
    toks = tokens(text)
    depth = 0
    for i, (kind, text_) in enumerate(toks):
        if kind == "pname":
            result.names_used.add(text_.partition(":")[0])
            continue
        if kind == "other":
            if text_ in _OPEN:
                depth += 1
                result.depth = max(result.depth, depth)
            elif text_ in _CLOSE:
                depth = max(0, depth - 1)
            continue
        if kind != "word":
            continue
        word = text_.upper()
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if word == "PREFIX" and nxt is not None and nxt[0] == "pname" and i + 2 < len(toks):
            target_kind, target_text = toks[i + 2]
            if target_kind == "iri":
                result.prefixes[nxt[1][:-1]] = _unescape(target_text[1:-1])
        elif word == "BASE" and nxt is not None and nxt[0] == "iri":
            result.base = _unescape(nxt[1][1:-1])
        elif result.form is None and (word in QUERY_FORMS or word in UPDATE_KEYWORDS):
            result.form = word
            result.is_update = word in UPDATE_KEYWORDS
        elif word == "FROM":
            result.has_from = True
        elif word == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "SILENT":
                j += 1
            result.services.append(_target(toks[j] if j < len(toks) else None, result))
        elif word in UPDATE_KEYWORDS:
            # No update keyword is a word of the query grammar, so one anywhere (say
            # after a query, or after ';') marks the request as an update.
            result.is_update = True
    return result


def _target(tok: Token | None, result: Scan) -> str | None:
    if tok is None:
        return None
    kind, text = tok
    if kind == "iri":
        iri = _unescape(text[1:-1])
        return iri if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri) else None
    if kind == "pname":
        prefix, _, local = text.partition(":")
        if prefix in result.prefixes:
            namespace = result.prefixes[prefix]
            if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", namespace):
                return namespace + re.sub(r"\\(.)", r"\1", local)
    return None
