"""Settings, declared once: default, type, help text and environment variable of each.

The one settings mechanism of the project is pydantic-settings: ``Settings`` here and the
SPARQL endpoint's ``SparqlSettings`` (nested as ``Settings.sparql``) are both
``BaseSettings`` models. A value comes from, in rising order: the default, the
environment (``AVOINKUNTA_`` + the name in upper case, e.g. ``AVOINKUNTA_BASE_URI``;
the endpoint's ``AVOINKUNTA_SPARQL_*``), explicit arguments. ``create_app(settings)`` hands
them to every part, the endpoint included. ``README.md`` documents every setting and
``sparql_endpoint/README.md`` the endpoint's (tests check both).

To add a setting: one field below, with ``Field(default, description=...)``, and one
row in README.md's table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from sparql_endpoint.settings import SparqlSettings

# The vocabulary and the shapes belong to the software, not to a deployment's data.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "AVOINKUNTA_"


def _words(value: Any) -> Any:
    """A space-separated environment value as a tuple (lists pass through)."""
    return tuple(value.split()) if isinstance(value, str) else value


class SettingsError(ValueError):
    """A setting has a value of the wrong kind; the message names its variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid")

    base_uri: str = Field(
        "http://localhost:8080/",
        description="Base of every URI the publication mints; must end with '/'. Changing it "
        "changes the meaning of published URIs, so set it once per deployment.",
    )
    data_dir: Path = Field(Path("data"), description="Folder of the catalogue's source files.")
    ontology_dir: Path = Field(
        PROJECT_ROOT / "ontology", description="Folder of the vocabulary and its concept schemes."
    )
    shapes_dir: Path = Field(
        PROJECT_ROOT / "shapes", description="Folder of the SHACL shapes used by the build."
    )
    out_dir: Path = Field(
        Path("var"),
        description="Folder of publications; OUT/current points to the one being served.",
    )
    keep_publications: int = Field(
        3,
        ge=1,
        description="How many publications to keep on disk (the current one and those for "
        "rollback).",
    )
    cache_max_age: int = Field(
        300,
        ge=0,
        description="Seconds a client or proxy may cache a page or document (Cache-Control "
        "max-age).",
    )
    page_size: int = Field(50, ge=1, description="Items per page in the paged catalogues.")
    render_time_limit: float = Field(
        10.0,
        ge=0,
        description="Seconds a page or document may take to render before the request is "
        "answered 503 (Retry-After); a render also stops when its client has gone.",
    )
    host: str = Field("127.0.0.1", description="Address `avoinkunta serve` listens on.")
    port: int = Field(8080, ge=0, le=65535, description="Port `avoinkunta serve` listens on.")
    workers: int = Field(
        3, ge=1, description="Number of web worker processes of `avoinkunta serve`."
    )
    # Source files are untrusted input (publisher/sources/limits.py).
    source_max_file_bytes: int = Field(
        2_000_000, ge=1, description="Largest source file read, in bytes; a larger one is refused."
    )
    source_max_depth: int = Field(
        20,
        ge=1,
        le=1000,
        description="Deepest nesting of mappings and lists in a source file (at most 1000).",
    )
    source_max_text_length: int = Field(
        10_000,
        ge=1,
        description="Longest text, in characters, of any one value in a source file.",
    )
    source_max_amount: int = Field(
        1_000_000_000_000, ge=1, description="Largest price amount a source file may give."
    )
    source_amount_decimals: int = Field(
        4, ge=0, description="Most decimal places a price amount may have."
    )
    trusted_proxies: Annotated[tuple[str, ...], NoDecode, BeforeValidator(_words)] = Field(
        (),
        description="Addresses (or networks, 10.0.0.0/8) of the reverse proxies in front of "
        "`avoinkunta serve` whose X-Forwarded-For is believed (space-separated); the client "
        "is the last address before them. Empty: the header is ignored.",
    )
    threads: int = Field(
        48,
        ge=1,
        description="Request threads per web worker process of `avoinkunta serve` (started "
        "as needed). Keep it well above the SPARQL endpoint's workers + queue_length, so "
        "that queries can never hold every thread of a process.",
    )
    access_log: bool = Field(
        False,
        description="Have `avoinkunta serve` write a line per request to standard output. "
        "Off by default: it costs about 0.1 ms of CPU per request, as much as a third of a "
        "plain SPARQL query's, and behind nginx (deploy/) nginx writes the access log.",
    )
    sparql: SparqlSettings = Field(
        default_factory=SparqlSettings,
        description="The SPARQL endpoint's settings (AVOINKUNTA_SPARQL_*, documented in "
        "sparql_endpoint/README.md).",
    )

    @field_validator("base_uri")
    @classmethod
    def _ends_with_slash(cls, value: str) -> str:
        if not value.endswith("/"):
            raise ValueError(f"base_uri must end with '/': {value!r}")
        return value

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Defaults, then ``AVOINKUNTA_*`` variables, then the overrides that are not None
        (command-line options left out); a bad value raises SettingsError naming it."""
        try:
            return cls(**{k: v for k, v in overrides.items() if v is not None})
        except ValidationError as exc:
            raise SettingsError(readable(exc, cls)) from None

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes``, validated like any other value."""
        return type(self)(**{**self.model_dump(exclude_unset=False), **changes})


@dataclass(frozen=True)
class Documented:
    variable: str  # the environment variable
    default: Any
    help: str


def documented(cls: type[BaseSettings] = Settings) -> list[Documented]:
    """Every setting of ``cls`` (nested settings models excluded: they document their own)."""
    prefix = cls.model_config.get("env_prefix", "")
    rows = []
    for name, field in cls.model_fields.items():
        if name in _nested(cls):
            continue
        rows.append(Documented(f"{prefix}{name.upper()}", field.default, field.description or ""))
    return rows


def readable(exc: ValidationError, cls: type[BaseSettings]) -> str:
    """One line per bad value, naming its environment variable."""
    models = {cls.__name__: cls, **{m.__name__: m for m in _nested(cls).values()}}
    lines = []
    for error in exc.errors():
        names = [str(part) for part in error["loc"] if isinstance(part, str)]
        # A nested model's own errors (raised by its default factory) carry its title.
        model = models.get(exc.title, cls)
        for name in names[:-1]:  # a nested value given explicitly: Settings.sparql.timeout
            model = _nested(model).get(name, model)
        prefix = model.model_config.get("env_prefix", "")
        variable = f"{prefix}{names[-1].upper()}" if names else prefix
        lines.append(f"{variable}={error.get('input')!r}: {error['msg']}")
    return "; ".join(lines)


def _nested(cls: type[BaseSettings]) -> dict[str, type[BaseSettings]]:
    return {
        name: field.annotation
        for name, field in cls.model_fields.items()
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseSettings)
    }
