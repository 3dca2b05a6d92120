"""YAML 1.2 with positions: the document as a tree of ``Node``s that remember their line.

publiccode.yml "SHOULD be a YAML 1.2 document" (YAML 1.1 is deprecated), and the reference
parser (italia/publiccode-parser-go) reads it as YAML 1.2: ``yes``/``no``/``on``/``off`` are
text, not booleans, and ``2017-04-15`` is text, not a date. PyYAML implements YAML 1.1, so
we use its scanner, parser and composer (which give every node its position) with a
resolver for the YAML 1.2 *core schema*, and build the values ourselves. Scalars keep
their source text, so that ``softwareVersion: 1.10`` stays "1.10".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

NULL, BOOL, INT, FLOAT, STR, MAP, SEQ = "null", "bool", "int", "float", "str", "map", "seq"

# YAML 1.2.2, 10.3.2 (core schema tag resolution).
_CORE: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), "~nN"),
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (
        "tag:yaml.org,2002:int",
        re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
        "-+0123456789",
    ),
    (
        "tag:yaml.org,2002:float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+.0123456789",
    ),
)
# Words YAML 1.1 read as booleans; in YAML 1.2 they are text. Named in error messages.
YAML11_BOOLEANS = frozenset("y Y yes Yes YES n N no No NO on On ON off Off OFF".split())


class _CoreResolver(BaseResolver):
    yaml_implicit_resolvers: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {}


for _tag, _pattern, _first in _CORE:
    for _char in _first:
        _CoreResolver.yaml_implicit_resolvers.setdefault(_char, []).append((_tag, _pattern))
_CoreResolver.yaml_implicit_resolvers.setdefault("", []).append(
    ("tag:yaml.org,2002:null", _CORE[0][1])
)


class _Loader(Reader, Scanner, Parser, Composer, _CoreResolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _CoreResolver.__init__(self)


@dataclass
class Node:
    """One value of the document, with the 1-based line and column where it starts."""

    kind: str
    value: Any  # dict[str, Node] for maps, list[Node] for sequences, else a Python scalar
    line: int
    column: int
    text: str = ""  # a scalar's source text (after YAML unquoting/folding)
    quoted: bool = False
    key_lines: dict[str, tuple[int, int]] = field(default_factory=dict)  # maps: key → position

    @property
    def is_scalar(self) -> bool:
        return self.kind not in (MAP, SEQ)

    def get(self, key: str) -> Node | None:
        return self.value.get(key) if self.kind == MAP else None

    def data(self) -> Any:
        """The value as plain data with every scalar as its source text (booleans and nulls
        excepted): what a text field of the standard holds."""
        if self.kind == MAP:
            return {k: v.data() for k, v in self.value.items()}
        if self.kind == SEQ:
            return [v.data() for v in self.value]
        if self.kind in (BOOL, NULL):
            return self.value
        return self.text

    def plain(self) -> Any:
        """The value as plain Python data (maps, lists, scalars)."""
        if self.kind == MAP:
            return {k: v.plain() for k, v in self.value.items()}
        if self.kind == SEQ:
            return [v.plain() for v in self.value]
        return self.value


class YamlError(Exception):
    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def load(text: str) -> Node | None:
    """The one document in ``text`` as a Node tree (None for an empty document).

    Raises YamlError for a syntax error, several documents, or a duplicate key."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        if "expected a single document" in str(exc):
            mark = exc.problem_mark
            raise YamlError(
                "several YAML documents in one file ('---'); publiccode.yml is one document",
                mark.line + 1 if mark else None,
            ) from None
        raise _syntax(exc) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax(exc) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    return None if root is None else _build(root)


def _syntax(exc: yaml.MarkedYAMLError) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or str(exc)
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    return YamlError(
        f"YAML syntax error: {problem}{context}",
        mark.line + 1 if mark else None,
        mark.column + 1 if mark else None,
    )


def _build(node: yaml.Node) -> Node:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.MappingNode):
        values: dict[str, Node] = {}
        lines: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            key = _build(key_node)
            if not key.is_scalar:
                raise YamlError("a mapping key must be a plain value", key.line, key.column)
            name = key.text
            if name in values:
                raise YamlError(f"duplicate key {name!r}", key.line, key.column)
            values[name] = _build(value_node)
            lines[name] = (key.line, key.column)
        return Node(MAP, values, line, column, key_lines=lines)
    if isinstance(node, yaml.SequenceNode):
        return Node(SEQ, [_build(item) for item in node.value], line, column)
    assert isinstance(node, yaml.ScalarNode)
    text = node.value
    quoted = node.style in ("'", '"', "|", ">")
    kind, value = _scalar(node.tag, text)
    return Node(kind, value, line, column, text=text, quoted=quoted)


def _scalar(tag: str, text: str) -> tuple[str, Any]:
    if tag.endswith(":null"):
        return NULL, None
    if tag.endswith(":bool"):
        return BOOL, text.lower() == "true"
    if tag.endswith(":int"):
        if text.startswith("0o"):
            return INT, int(text[2:], 8)
        return INT, int(text, 0) if text.startswith("0x") else int(text)
    if tag.endswith(":float"):
        lowered = text.lower().lstrip("+")
        if lowered in (".inf", "-.inf"):
            return FLOAT, float(lowered.replace(".", ""))
        if lowered == ".nan":
            return FLOAT, float("nan")
        return FLOAT, float(text)
    # Explicitly tagged values (!!str, !!binary, ...) and everything else: text.
    return STR, text
