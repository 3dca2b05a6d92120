"""The endpoint's limits and policies, declared once with defaults and help text.

Every field can be overridden from the environment as ``AVOINKUNTA_SPARQL_<NAME>``
(upper case), e.g. ``AVOINKUNTA_SPARQL_TIMEOUT=5``. ``sparql_endpoint/README.md``
documents each one; a test keeps the two in step.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ENV_PREFIX = "AVOINKUNTA_SPARQL_"


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class SparqlSettings:
    """Limits of the public SPARQL endpoint (see README.md for the reasoning)."""

    timeout: float = _setting(
        10.0,
        "Seconds a query may take, from arrival to the last byte of its result. When the "
        "time is up the worker process running it is killed and replaced, and the client "
        "gets 503 Service Unavailable.",
    )
    max_rows: int = _setting(
        10_000,
        "Most solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) returned. Longer results "
        "are cut and the response carries 'SPARQL-Results-Truncated: true'. 0 = no cap.",
    )
    max_query_length: int = _setting(
        20_000,
        "Most characters in a query (and bytes in a request body). Longer requests get "
        "413 (POST) or 414 (GET).",
    )
    workers: int = _setting(
        4,
        "Query worker processes per server process. Queries run only in these workers, "
        "never in the web process, so that a runaway query can be killed. Keep it above "
        "per_client_concurrency, so that one client cannot occupy every worker.",
    )
    queue_wait: float = _setting(
        5.0,
        "Seconds a query may wait for a free worker before the client gets 503 with "
        "Retry-After (never longer than 'timeout').",
    )
    queue_length: int = _setting(
        2,
        "Queries per server process that may wait (at most queue_wait) for a free worker "
        "while all 'workers' are busy. A query beyond workers + queue_length in one process "
        "gets 503 with Retry-After at once, so that queries never hold every thread of the "
        "web server; keep workers + queue_length well below its threads per process (16).",
    )
    per_client_concurrency: int = _setting(
        2,
        "Queries one client address may have running at the same time; more get 429 Too "
        "Many Requests. Counted across all server processes on the host (lock files).",
    )
    worker_memory_mb: int = _setting(
        1024,
        "Resident memory a worker process may use while running a query, in MiB, checked "
        "every 0.1 s; a query that needs more is stopped (worker killed and replaced) and "
        "the client gets 503. 0 = no limit.",
    )
    service_allowlist: tuple[str, ...] = _setting(
        (),
        "Endpoint IRIs that SERVICE may call, separated by spaces in the environment. "
        "Empty (the default) refuses every SERVICE clause and forbids worker processes "
        "to open network sockets at all.",
    )
    lock_dir: str = _setting(
        "",
        "Directory for the per-client lock files; empty = 'client-slots' in the "
        "deployment's state directory (OUT/.sparql under avoinkunta serve), or, for an app "
        "given none, a folder per base URI under the system temporary directory.",
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> SparqlSettings:
        """Defaults, then ``AVOINKUNTA_SPARQL_*`` variables, then keyword overrides."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _coerce(f, raw)
        values.update(overrides)
        return cls(**values)


def _coerce(f: dataclasses.Field[Any], raw: str) -> Any:
    default = f.default
    try:
        if isinstance(default, bool):
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, tuple):
            return tuple(raw.split())
    except ValueError as exc:
        raise ValueError(f"{ENV_PREFIX}{f.name.upper()}={raw!r}: {exc}") from exc
    return raw


def settings_help() -> dict[str, tuple[Any, str]]:
    """name → (default, help), for documentation and the query page."""
    return {f.name: (f.default, f.metadata["help"]) for f in dataclasses.fields(SparqlSettings)}
