"""The facets of the offering list and a selection of their values (no Flask, no store).

A selection is what a URL's query string says: ``?component=spatial-data&open=yes``.
Values of one facet combine with OR, facets with AND. The canonical query string lists
facets in ``FACETS`` order and values sorted, so one selection has one URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass(frozen=True)
class FacetSpec:
    name: str  # the URL parameter
    kind: str | None  # the kind of thing its values are (their labels); None: fixed values
    values: tuple[str, ...] = ()  # the fixed values, in display order
    many: bool = False  # so many values that a page shows only the first ones


# The order in which the page shows them.
FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("layer", "layer"),
    FacetSpec("component", "component"),
    FacetSpec("aspect", "aspect"),
    FacetSpec("open", None, ("yes", "no")),
    FacetSpec("licence", "licence", many=True),
    FacetSpec("pricing", None, ("no-licence-fee", "published-price", "price-list")),
    FacetSpec("route", "route"),
    FacetSpec("domain", "domain"),
    FacetSpec("phase", "phase"),
    FacetSpec("type", None, ("product", "service")),
    FacetSpec("status", None, ("Completed", "UnderDevelopment", "Deprecated", "Withdrawn")),
    FacetSpec("supplier", "supplier", many=True),
)
BY_NAME: dict[str, FacetSpec] = {f.name: f for f in FACETS}

SORTS = ("name", "supplier", "newest")
RELEVANCE = "relevance"  # the default order of a text search
VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]{0,99}$")
MAX_VALUES = 50  # per facet; more are ignored


@dataclass(frozen=True)
class Selection:
    """Chosen facet values (facet → values) and an optional text query."""

    chosen: Mapping[str, frozenset[str]] = field(default_factory=dict)
    query: str = ""

    @classmethod
    def of(cls, query: str = "", **chosen: Iterable[str] | str) -> Selection:
        """``Selection.of(component="spatial-data", open="yes")``."""
        return cls.from_pairs(
            (
                (name, v)
                for name, vs in chosen.items()
                for v in ([vs] if isinstance(vs, str) else vs)
            ),
            query=query,
        )

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], query: str = "") -> Selection:
        """From (parameter, value) pairs such as a query string's; unknown parameters
        and malformed values are ignored (a URL must never cause an error)."""
        found: dict[str, set[str]] = {}
        for name, value in pairs:
            value = value.strip()
            if name in BY_NAME and VALUE.match(value):
                values = found.setdefault(name, set())
                if len(values) < MAX_VALUES:
                    values.add(value)
        chosen = {f.name: frozenset(found[f.name]) for f in FACETS if found.get(f.name)}
        return cls(chosen, " ".join(query.split())[:200])

    @classmethod
    def from_args(cls, args: Mapping[str, object]) -> Selection:
        """From a request's ``args`` (a werkzeug MultiDict: every value of a parameter)."""
        getlist = getattr(args, "getlist", None)
        pairs: list[tuple[str, str]] = []
        for f in FACETS:
            values = getlist(f.name) if getlist else [args.get(f.name)]
            pairs += [(f.name, str(v)) for v in values if v]
        return cls.from_pairs(pairs, query=str(args.get("q") or ""))

    def values(self, facet: str) -> frozenset[str]:
        return self.chosen.get(facet, frozenset())

    def has(self, facet: str, value: str) -> bool:
        return value in self.values(facet)

    @property
    def empty(self) -> bool:
        return not self.chosen and not self.query

    def toggled(self, facet: str, value: str) -> Selection:
        """This selection with ``value`` added to ``facet``, or removed if it was there."""
        values = set(self.values(facet)) ^ {value}
        chosen = dict(self.chosen)
        if values:
            chosen[facet] = frozenset(values)
        else:
            chosen.pop(facet, None)
        return Selection(_ordered(chosen), self.query)

    def without(self, facet: str) -> Selection:
        chosen = {k: v for k, v in self.chosen.items() if k != facet}
        return Selection(chosen, self.query)

    def without_query(self) -> Selection:
        return Selection(self.chosen, "")

    def pairs(self) -> list[tuple[str, str]]:
        """The canonical (parameter, value) pairs: facets in FACETS order, values sorted."""
        out = [("q", self.query)] if self.query else []
        for f in FACETS:
            out += [(f.name, v) for v in sorted(self.values(f.name))]
        return out

    def query_string(self, **extra: str | int | None) -> str:
        """The canonical query string, with ``extra`` parameters (sort, page, lang) last."""
        pairs: list[tuple[str, str]] = self.pairs()
        pairs += [(k, str(v)) for k, v in extra.items() if v not in (None, "")]
        return urlencode(pairs)

    def cache_key(self) -> tuple[tuple[str, str], ...]:
        return tuple(self.pairs())


def _ordered(chosen: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    return {f.name: chosen[f.name] for f in FACETS if chosen.get(f.name)}
