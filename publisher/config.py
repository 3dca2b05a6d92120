"""Settings, declared once with defaults and help; each can be overridden by the environment.

The environment variable of a setting is ``AVOINKUNTA_`` + its name in upper case, e.g.
``AVOINKUNTA_BASE_URI``. ``README.md`` documents every setting (a test checks it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

# The vocabulary and the shapes belong to the software, not to a deployment's data.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    base_uri: str = _setting(
        "http://localhost:8080/",
        "Base of every URI the publication mints; must end with '/'. Changing it changes "
        "the meaning of published URIs, so set it once per deployment.",
    )
    data_dir: Path = _setting(Path("data"), "Folder of the catalogue's source files.")
    ontology_dir: Path = _setting(
        PROJECT_ROOT / "ontology", "Folder of the vocabulary and its concept schemes."
    )
    shapes_dir: Path = _setting(
        PROJECT_ROOT / "shapes", "Folder of the SHACL shapes used by the build."
    )
    out_dir: Path = _setting(
        Path("var"), "Folder of publications; OUT/current points to the one being served."
    )
    keep_publications: int = _setting(
        3, "How many publications to keep on disk (the current one and those for rollback)."
    )
    cache_max_age: int = _setting(
        300, "Seconds a client or proxy may cache a page or document (Cache-Control max-age)."
    )
    page_size: int = _setting(50, "Items per page in the paged catalogues (/catalog).")
    host: str = _setting("127.0.0.1", "Address `avoinkunta serve` listens on.")
    port: int = _setting(8080, "Port `avoinkunta serve` listens on.")
    workers: int = _setting(3, "Number of web worker processes of `avoinkunta serve`.")
    # Source files are untrusted input (publisher/sources/limits.py).
    source_max_file_bytes: int = _setting(
        2_000_000, "Largest source file read, in bytes; a larger one is refused."
    )
    source_max_depth: int = _setting(
        20, "Deepest nesting of mappings and lists in a source file (at most 1000)."
    )
    source_max_text_length: int = _setting(
        10_000, "Longest text, in characters, of any one value in a source file."
    )
    source_max_amount: int = _setting(
        1_000_000_000_000, "Largest price amount a source file may give."
    )
    source_amount_decimals: int = _setting(4, "Most decimal places a price amount may have.")

    def __post_init__(self) -> None:
        if not self.base_uri.endswith("/"):
            raise ValueError(f"base_uri must end with '/': {self.base_uri!r}")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``AVOINKUNTA_*`` variables, then explicit overrides (not None)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"AVOINKUNTA_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _coerce(f.default, raw)
        values.update(
            {k: _coerce(getattr(cls, k), v) for k, v in overrides.items() if v is not None}
        )
        return cls(**values)

    @classmethod
    def documented(cls) -> list[tuple[str, Any, str]]:
        """(environment variable, default, help) of every setting."""
        return [
            (f"AVOINKUNTA_{f.name.upper()}", f.default, f.metadata["help"]) for f in fields(cls)
        ]


def _coerce(default: Any, value: Any) -> Any:
    if isinstance(value, str):
        if isinstance(default, bool):
            return value.lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(value)
        if isinstance(default, Path):
            return Path(value)
    return value
