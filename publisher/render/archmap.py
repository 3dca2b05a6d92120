"""The architecture map of the home page as a plain structure (no store, no Flask)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class MapComponent:
    key: str
    label: str
    href: str
    count: int
    lang: str | None = None  # the label's language when it is a fallback
    confidence: str | None = None  # how sure its placement in the layer is (ak:confidence)

    @property
    def uncertain(self) -> bool:
        """Placed in its layer by a low-confidence inference (marked on the map)."""
        return self.confidence == "low"


@dataclass(frozen=True)
class MapLayer:
    key: str
    label: str
    href: str
    order: int
    cross_cutting: bool
    count: int  # distinct offerings classified under any of its components
    components: tuple[MapComponent, ...]
    lang: str | None = None  # the label's language when it is a fallback


@dataclass(frozen=True)
class ArchitectureMap:
    layers: tuple[MapLayer, ...]

    @property
    def stacked(self) -> list[MapLayer]:
        """The stacked layers top to bottom, as drawn (order 1 is the bottom one)."""
        return sorted((x for x in self.layers if not x.cross_cutting), key=lambda x: -x.order)

    @property
    def cross_cutting(self) -> list[MapLayer]:
        return sorted((x for x in self.layers if x.cross_cutting), key=lambda x: x.order)


@dataclass(frozen=True)
class LayerRow:
    key: str
    label: str
    href: str
    order: int
    cross_cutting: bool
    lang: str | None = None


@dataclass(frozen=True)
class ComponentRow:
    key: str
    label: str
    href: str
    layer: str
    order: int  # position in the source; ties keep the label order
    lang: str | None = None
    confidence: str | None = None


class Members(Protocol):
    """The offerings of a component: a set or the site index's bitmap (union and size)."""

    def __or__(self, other: Any) -> Any: ...

    def __len__(self) -> int: ...


def build_map(
    layers: Iterable[LayerRow],
    components: Iterable[ComponentRow],
    offerings_by_component: Mapping[str, Members],
) -> ArchitectureMap:
    """Group components under their layers with the number of offerings of each."""
    by_layer: dict[str, list[ComponentRow]] = {}
    for c in components:
        by_layer.setdefault(c.layer, []).append(c)
    built = []
    for layer in layers:
        rows = sorted(by_layer.get(layer.key, []), key=lambda c: (c.order, c.label))
        offerings: Any = None  # the union of the layer's components' offerings
        for c in rows:
            members = offerings_by_component.get(c.key)
            if members is not None:
                offerings = members if offerings is None else offerings | members
        built.append(
            MapLayer(
                key=layer.key,
                label=layer.label,
                href=layer.href,
                order=layer.order,
                cross_cutting=layer.cross_cutting,
                count=len(offerings) if offerings is not None else 0,
                components=tuple(
                    MapComponent(
                        c.key,
                        c.label,
                        c.href,
                        len(offerings_by_component.get(c.key) or ()),
                        lang=c.lang,
                        confidence=c.confidence,
                    )
                    for c in rows
                ),
                lang=layer.lang,
            )
        )
    return ArchitectureMap(tuple(sorted(built, key=lambda x: x.order)))
