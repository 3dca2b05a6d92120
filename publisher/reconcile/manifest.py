"""The service manifests: version 0.2 (what OpenRefine reads) at ``/reconcile`` and the 1.0
draft at ``/reconcile/1.0-draft``."""

from __future__ import annotations

from typing import Any

from publisher import __version__
from publisher.reconcile.service import DEFAULT_TYPES, TYPES

NAME = "Avoin kunta: offerings, suppliers, licences and architecture components"
PREVIEW = {"width": 420, "height": 190}


def _types(vocab: str) -> list[dict[str, str]]:
    return [{"id": f"{vocab}{t}", "name": TYPES[t][2]["en"]} for t in DEFAULT_TYPES]


def manifest_02(base: str, vocab: str) -> dict[str, Any]:
    """``base`` is the site's base URL (ends with '/'); the endpoint is ``{base}reconcile``."""
    root = base.rstrip("/")

    def service(path: str) -> dict[str, str]:
        return {"service_url": root, "service_path": f"/reconcile/{path}"}

    return {
        "versions": ["0.2"],
        "name": NAME,
        "identifierSpace": f"{base}id/",
        "schemaSpace": vocab,
        "documentation": f"{base}reconcile/docs",
        "serviceVersion": __version__,
        "view": {"url": "{{id}}"},
        "preview": {"url": f"{base}reconcile/preview?id={{{{id}}}}", **PREVIEW},
        "defaultTypes": _types(vocab),
        "suggest": {
            "entity": service("suggest/entity"),
            "type": service("suggest/type"),
            "property": service("suggest/property"),
        },
        "extend": {"propose_properties": service("propose_properties"), "property_settings": []},
    }


def manifest_10(base: str, vocab: str) -> dict[str, Any]:
    return {
        "versions": ["1.0-draft"],
        "name": NAME,
        "identifierSpace": f"{base}id/",
        "schemaSpace": vocab,
        "documentation": f"{base}reconcile/docs",
        "serviceVersion": __version__,
        "view": {"url": "{{id}}"},
        "preview": dict(PREVIEW),
        "defaultTypes": _types(vocab),
        "suggest": {"entity": True, "property": True, "type": True},
        "extend": {"proposeProperties": True, "propertySettings": []},
        "standardizedScore": True,
    }
