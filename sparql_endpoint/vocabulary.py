"""The PREFIX lines of a query (the prefixes themselves come from the site, ``Host``)."""

from __future__ import annotations

from collections.abc import Mapping


def prologue(prefixes: Mapping[str, str], body: str | None = None) -> str:
    """PREFIX lines; with a body, only those the body uses (by ``name:``)."""
    lines = []
    for name, iri in prefixes.items():
        if body is None or f"{name}:" in body:
            lines.append(f"PREFIX {name}: <{iri}>")
    return "\n".join(lines)
