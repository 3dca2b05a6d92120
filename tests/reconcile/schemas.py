"""The Reconciliation API's own JSON Schemas (vendored in tests/fixtures/reconciliation-api),
with their relative $refs resolved locally."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

FOLDER = Path(__file__).parents[1] / "fixtures" / "reconciliation-api"


@cache
def _registry(version: str) -> tuple[Registry, dict[str, dict[str, Any]]]:
    schemas = {}
    resources = []
    for path in sorted((FOLDER / version / "schemas").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.stem] = schema
        if "$id" in schema:
            resources.append(
                (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7))
            )
            # the 1.0 draft's files say ".../draft/schemas/x.json" and refer to "lang.json"
            # next to them; 0.2's say ".../0.2/schemas/x.json": both resolve in the folder
    return Registry().with_resources(resources), schemas


def validate(version: str, name: str, instance: Any) -> None:
    """Raise jsonschema.ValidationError unless ``instance`` is valid under schema ``name``."""
    registry, schemas = _registry(version)
    validator = Draft7Validator(schemas[name], registry=registry)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    if errors:
        raise AssertionError(
            f"{version}/{name}: "
            + "; ".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5])
        )


def schema_names(version: str) -> list[str]:
    return sorted(_registry(version)[1])
