"""YAML with line numbers, fast and bounded.

libyaml (PyYAML's C parser, in the PyPI wheel) turns the text into events; one loop here
builds plain dicts and lists from them, remembering the line of every key. Building from
events, rather than with PyYAML's constructor, is about 17 times faster than the pure-Python
loader, and it lets the loop refuse what a hand-written source file never needs, before it
can cost anything: anchors and aliases, tags other than the standard scalar ones, nesting
deeper than the limit, and texts that are too long or hold characters XML 1.0 does not
allow. The loop keeps its own stack, so deep nesting cannot exhaust Python's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from publisher.sources.limits import (
    NOT_IN_XML,
    SETTING,
    SourceLimits,
    bad_character,
    character_message,
    shown,
)

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when present
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")
}
_COLLECTION_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

Path = tuple[str | int, ...]


class LineDict(dict[Any, Any]):
    """A mapping that remembers the line of each key (1-based), and its own line."""

    lines: dict[str, int]
    line: int


@dataclass(frozen=True)
class YamlIssue:
    """Something wrong in a YAML file, at a path of keys and list positions."""

    path: Path
    rule: str
    message: str
    line: int | None


@dataclass
class YamlDocument:
    """The loaded value and its issues. When the file could not be loaded (``loaded`` is
    False), ``value`` is what was built before the loader stopped, or None."""

    value: Any
    issues: list[YamlIssue] = field(default_factory=list)
    loaded: bool = True


class _Refused(Exception):
    def __init__(self, issue: YamlIssue) -> None:
        self.issue = issue


def load_yaml_text(data: bytes, limits: SourceLimits) -> YamlDocument:
    """Load one YAML document from ``data`` (UTF-8)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _failed((), "yaml-syntax", f"not UTF-8 text: {exc}", None)
    raw = NOT_IN_XML.search(text)
    if raw is not None:
        line = text.count("\n", 0, raw.start()) + 1
        column = raw.start() - (text.rfind("\n", 0, raw.start()) + 1)
        description = bad_character(text[raw.start() - column : raw.start() + 1]) or ""
        return _failed((), "text-characters", character_message(description), line)
    builder = _Builder(limits)
    loader = _Loader(text)
    try:
        value = builder.run(loader)
    except _Refused as refused:
        # What was built so far names the record the issue is in (its id came first).
        return YamlDocument(builder.partial(), [refused.issue], loaded=False)
    except yaml.MarkedYAMLError as exc:
        return _syntax_error(exc, limits)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in its stream
        where = data[: exc.position].count(b"\n") + 1 if exc.position is not None else None
        return _failed((), "yaml-syntax", f"YAML error: {exc.reason}", where)
    except yaml.YAMLError as exc:
        return _failed((), "yaml-syntax", f"YAML error: {exc}", None)
    finally:
        loader.dispose()
    return YamlDocument(value, builder.issues)


def _failed(path: Path, rule: str, message: str, line: int | None) -> YamlDocument:
    return YamlDocument(None, [YamlIssue(path, rule, message, line)], loaded=False)


def _syntax_error(exc: yaml.MarkedYAMLError, limits: SourceLimits) -> YamlDocument:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit (1000)
        return _failed((), "limit-depth", _depth_message(limits), line)
    return _failed((), "yaml-syntax", f"YAML syntax error: {exc.problem or exc.context}", line)


def _depth_message(limits: SourceLimits) -> str:
    return f"is nested deeper than {limits.max_depth} levels (setting {SETTING['max_depth']})"


class _Frame:
    """A mapping or list being built: for a mapping, the key waiting for its value."""

    __slots__ = ("container", "key", "has_key", "is_map")

    def __init__(self, container: Any, is_map: bool) -> None:
        self.container = container
        self.is_map = is_map
        self.key: Any = None
        self.has_key = False


class _Builder:
    def __init__(self, limits: SourceLimits) -> None:
        self.limits = limits
        self.issues: list[YamlIssue] = []
        self.stack: list[_Frame] = []
        self.documents = 0

    def run(self, loader: Any) -> Any:
        root: Any = None
        stack = self.stack
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is events.ScalarEvent:
                value = self.scalar(event)
            elif kind is events.MappingStartEvent or kind is events.SequenceStartEvent:
                self.start(event, kind is events.MappingStartEvent)
                continue
            elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
                value = stack.pop().container
            elif kind is events.AliasEvent:
                raise _Refused(self.alias_issue(event, f"*{event.anchor}", "aliases"))
            elif kind is events.DocumentStartEvent:
                self.document(event)
                continue
            elif kind is events.StreamEndEvent:
                return root
            else:
                continue
            if stack:
                self.add(stack[-1], value, event)
            else:
                root = value

    def start(self, event: Any, is_map: bool) -> None:
        if event.anchor is not None:
            raise _Refused(self.alias_issue(event, f"&{event.anchor}", "anchors"))
        if event.tag not in _COLLECTION_TAGS:
            raise _Refused(self.tag_issue(event))
        line = event.start_mark.line + 1
        if len(self.stack) >= self.limits.max_depth:
            raise _Refused(YamlIssue(self.path(), "limit-depth", _depth_message(self.limits), line))
        container: Any
        if is_map:
            container = LineDict()
            container.lines = {}
            container.line = line
        else:
            container = []
        self.stack.append(_Frame(container, is_map))

    def scalar(self, event: Any) -> Any:
        if event.anchor is not None:
            raise _Refused(self.alias_issue(event, f"&{event.anchor}", "anchors"))
        text = event.value
        if len(text) > self.limits.max_text_length:
            self.issue(
                "limit-text-length",
                f"is {len(text):,} characters long; the limit is "
                f"{self.limits.max_text_length:,} (setting {SETTING['max_text_length']})",
                event,
            )
        if event.style == '"':  # only double-quoted scalars can hold escaped characters
            bad = bad_character(text)
            if bad:
                self.issue("text-characters", character_message(bad), event)
        tag = event.tag
        if tag is None and event.style:
            tag = _STR  # quoted and block scalars are text (what Resolver.resolve says too)
        elif tag is None or tag == "!":
            tag = _plain_tag(text, event.implicit)
        if tag == _STR:
            return text
        if tag not in _SCALAR_TAGS:
            raise _Refused(self.tag_issue(event))
        return _construct(tag, text)

    def add(self, frame: _Frame, value: Any, event: Any) -> None:
        container = frame.container
        if not frame.is_map:
            container.append(value)
        elif not frame.has_key:
            if isinstance(value, dict | list):
                raise _Refused(
                    YamlIssue(
                        self.path(),
                        "yaml-syntax",
                        "YAML syntax error: a key must be plain text, not a "
                        + ("mapping" if isinstance(value, dict) else "list"),
                        event.start_mark.line + 1,
                    )
                )
            if value in container:
                line = event.start_mark.line + 1
                message = f"YAML syntax error: duplicate key {shown(value)}"
                raise _Refused(YamlIssue(self.path(), "yaml-syntax", message, line))
            frame.key = value
            frame.has_key = True
            container.lines[str(value)] = event.start_mark.line + 1
        else:
            container[frame.key] = value
            frame.has_key = False

    def document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise _Refused(
                YamlIssue(
                    (),
                    "yaml-syntax",
                    "YAML syntax error: expected a single document in the stream, "
                    "but found another document",
                    event.start_mark.line + 1,
                )
            )

    def partial(self) -> Any:
        """The document as far as it was built, the open mappings and lists included."""
        stack = self.stack
        for parent, child in zip(stack[-2::-1], stack[:0:-1], strict=True):
            if not parent.is_map:
                parent.container.append(child.container)
            elif parent.has_key:
                parent.container[parent.key] = child.container
        return stack[0].container if stack else None

    def path(self) -> Path:
        """Where the builder is: the keys and list positions from the top."""
        found: list[str | int] = []
        for frame in self.stack:
            if frame.is_map:
                if frame.has_key:
                    found.append(frame.key if isinstance(frame.key, str) else str(frame.key))
            else:
                found.append(len(frame.container))
        return tuple(found)

    def issue(self, rule: str, message: str, event: Any) -> None:
        path = self.path()
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.is_map and not frame.has_key:  # the text is a key
            path = (*path, event.value if len(event.value) <= 40 else event.value[:40] + "…")
        self.issues.append(YamlIssue(path, rule, message, event.start_mark.line + 1))

    def alias_issue(self, event: Any, name: str, what: str) -> YamlIssue:
        return YamlIssue(
            self.path(),
            "yaml-alias",
            f"YAML {what} ({shown(name)[1:-1]}) are not allowed in source files; "
            "write the value out where it is used",
            event.start_mark.line + 1,
        )

    def tag_issue(self, event: Any) -> YamlIssue:
        return YamlIssue(
            self.path(),
            "yaml-syntax",
            f"YAML syntax error: could not determine a constructor for the tag {shown(event.tag)}",
            event.start_mark.line + 1,
        )


_PLAIN_TAGS: dict[tuple[str, Any], str] = {}


def _plain_tag(text: str, implicit: Any) -> str:
    """The tag YAML's rules give a plain scalar; remembered, since keys and values repeat
    (``fi``, ``en``, ``EUR``, ``product``…)."""
    key = (text, implicit)
    tag = _PLAIN_TAGS.get(key)
    if tag is None:
        if len(_PLAIN_TAGS) > 50_000:
            _PLAIN_TAGS.clear()
        tag = _PLAIN_TAGS[key] = str(_RESOLVER.resolve(ScalarNode, text, implicit))
    return tag


def _construct(tag: str, text: str) -> Any:
    node = ScalarNode(tag, text)
    try:
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
    except ValueError:
        # An impossible date such as 2014-13-45, or an integer too long for Python to
        # convert, stays text, so that the field's check reports it with its field.
        return text


__all__ = ["LineDict", "YamlDocument", "YamlIssue", "load_yaml_text"]
