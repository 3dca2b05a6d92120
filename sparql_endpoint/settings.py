"""The endpoint's limits and policies, declared once: default, type, help, environment name.

A pydantic-settings model (the project's one settings mechanism; ``publisher.config``
nests this one as ``Settings.sparql``). Each field can be set from the environment as
``AVOINKUNTA_SPARQL_<NAME>`` (upper case), e.g. ``AVOINKUNTA_SPARQL_TIMEOUT=5``; explicit
arguments win over the environment, which wins over the defaults.
``sparql_endpoint/README.md`` documents each one; a test keeps the two in step.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "AVOINKUNTA_SPARQL_"


def _words(value: Any) -> Any:
    """A space-separated environment value as a tuple (lists pass through)."""
    return tuple(value.split()) if isinstance(value, str) else value


class SparqlSettings(BaseSettings):
    """Limits of the public SPARQL endpoint (see README.md for the reasoning)."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid")

    timeout: float = Field(
        10.0,
        gt=0,
        description="Seconds a query may take, from arrival to the last byte of its result. "
        "When the time is up the worker process running it is killed and replaced, and the "
        "client gets 503 Service Unavailable.",
    )
    max_rows: int = Field(
        10_000,
        ge=0,
        description="Most solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) returned. Longer "
        "results are cut and the response carries 'SPARQL-Results-Truncated: true'. 0 = no cap.",
    )
    max_query_length: int = Field(
        20_000,
        gt=0,
        description="Most characters in a query (and bytes in a request body). Longer "
        "requests get 413 (POST) or 414 (GET).",
    )
    workers: int = Field(
        4,
        ge=1,
        description="Query worker processes per server process. Queries run only in these "
        "workers, never in the web process, so that a runaway query can be killed. Keep it "
        "above per_client_concurrency, so that one client cannot occupy every worker.",
    )
    queue_wait: float = Field(
        5.0,
        ge=0,
        description="Seconds a query may wait for a free worker before the client gets 503 "
        "with Retry-After (never longer than 'timeout').",
    )
    queue_length: int = Field(
        2,
        ge=0,
        description="Queries per server process that may wait (at most queue_wait) for a free "
        "worker while all 'workers' are busy. A query beyond workers + queue_length in one "
        "process gets 503 with Retry-After at once, so that queries never hold every thread "
        "of the web server; keep workers + queue_length well below its threads per process "
        "(the 'threads' setting of avoinkunta serve).",
    )
    per_client_concurrency: int = Field(
        2,
        ge=0,
        description="Queries one client address may have running at the same time; more get "
        "429 Too Many Requests. Counted across all server processes on the host (lock "
        "files). 0 = off.",
    )
    worker_memory_mb: int = Field(
        1024,
        ge=0,
        description="Resident memory a worker process may use while running a query, in MiB, "
        "checked every 0.1 s; a query that needs more is stopped (worker killed and "
        "replaced) and the client gets 503. 0 = no limit.",
    )
    service_allowlist: Annotated[tuple[str, ...], NoDecode, BeforeValidator(_words)] = Field(
        (),
        description="Endpoint IRIs that SERVICE may call, separated by spaces in the "
        "environment. Empty (the default) refuses every SERVICE clause and forbids worker "
        "processes to open network sockets at all.",
    )
    lock_dir: str = Field(
        "",
        description="Directory for the per-client lock files; empty = 'client-slots' in the "
        "deployment's state directory (OUT/.sparql under avoinkunta serve), or, for an app "
        "given none, a folder per base URI under the system temporary directory.",
    )


def settings_help() -> dict[str, tuple[Any, str]]:
    """name → (default, help), for documentation and the query page."""
    return {
        name: (field.default, field.description or "")
        for name, field in SparqlSettings.model_fields.items()
    }
