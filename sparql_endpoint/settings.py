"""The endpoint's limits and policies, declared once: default, type, help, environment name.

A pydantic-settings model (the project's one settings mechanism; ``publisher.config``
nests this one as ``Settings.sparql``). Each field can be set from the environment as
``AVOINKUNTA_SPARQL_<NAME>`` (upper case), e.g. ``AVOINKUNTA_SPARQL_TIMEOUT=5``; explicit
arguments win over the environment, which wins over the defaults.
``sparql_endpoint/README.md`` documents each one; a test keeps the two in step.
"""

from __future__ import annotations

import os
from typing import Annotated, Any, Literal

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
        description="Seconds a query may run on a worker, from its start to the last byte "
        "of its result (the wait for a free worker, at most queue_wait, is not counted). "
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
        0,
        ge=0,
        description="Query worker processes of the whole server, shared by all its web "
        "processes (one broker schedules them). Queries run only in these workers, so that "
        "a runaway query can be killed. The reserved workers are among them. 0 (the "
        "default) = 4 per CPU core (at most 32) plus the reserved workers: queries mostly "
        "use CPU, and with fewer workers than concurrent clients they wait for one instead "
        "of sharing the cores.",
    )
    reserved_workers: int = Field(
        1,
        ge=0,
        description="Workers that run only light clients' queries (see light_client_seconds), "
        "at a better CPU priority than the others, so that heavy clients, however many "
        "addresses they use, cannot take every worker.",
    )
    queue_wait: float = Field(
        5.0,
        ge=0,
        description="Seconds a query may wait, from its arrival, for a free worker before "
        "the client gets 503 with Retry-After.",
    )
    queue_length: int = Field(
        8,
        ge=0,
        description="Queries (of all clients together) that may wait for a free worker. One "
        "more gets 503 with Retry-After at once, unless it comes from a client that used "
        "less than the heaviest waiting one, whose newest waiting query then gets the 503 "
        "instead. Keep workers + queue_length below the web server's threads per process "
        "(the 'threads' setting of avoinkunta serve), so that queries never hold every "
        "thread of a process.",
    )
    per_client_concurrency: int = Field(
        2,
        ge=0,
        description="Queries one client address may have running or waiting at the same "
        "time; more get 429 Too Many Requests with Retry-After. Counted by the broker for "
        "the whole server. 0 = off.",
    )
    client_budget: float = Field(
        60.0,
        ge=0,
        description="Seconds of query time (time on a worker) one client address may use "
        "per minute, on average; beyond its burst, its queries get 429 with Retry-After "
        "until it has time again. 0 (with client_burst 0) = off.",
    )
    client_burst: float = Field(
        60.0,
        ge=0,
        description="Seconds of query time a client may use at once before client_budget "
        "applies (the size of its bucket, which refills at client_budget per minute).",
    )
    light_client_seconds: float = Field(
        5.0,
        ge=0,
        description="A client that used less than this many seconds of query time in about "
        "the last minute is light: its queries may run on the reserved workers, and the "
        "queue always serves the client that used least first.",
    )
    worker_memory_mb: int = Field(
        1024,
        ge=0,
        description="Memory a worker process may add to what it holds when it starts (its "
        "share of the store), in MiB, checked every 0.1 s while it runs a query; a query "
        "that needs more is stopped (worker killed and replaced) and the client gets 503. "
        "0 = no limit.",
    )
    worker_keep_mb: int = Field(
        32,
        ge=0,
        description="Memory each query worker may keep between queries, on average, in MiB "
        "over what it held when it started (the store's caches it filled, heap it could "
        "not give back). When the workers together keep more than this many MiB each, a "
        "worker that keeps more is replaced by a fresh fork, which takes over once it is "
        "up: the workers stay within their budget, and a server that runs one query at a "
        "time keeps its one warm worker. 0 = workers are never replaced for it.",
    )
    worker_allocator: Literal["auto", "system"] = Field(
        "auto",
        description="Memory allocator of the query workers: 'auto' = jemalloc when the "
        "machine has it (libjemalloc.so.2, e.g. Debian's libjemalloc2; preloaded into the "
        "store host, whose forks are the workers), else the C library's; 'system' = the C "
        "library's. Oxigraph's query evaluation allocates a great deal and runs about a "
        "quarter faster with jemalloc.",
    )
    worker_nice: int = Field(
        8,
        ge=0,
        le=19,
        description="How much lower the CPU priority of query workers is than the web "
        "processes' (nice value; the reserved workers get 6 less, at least 0), so that pages, "
        "/healthz and light queries go first when the cores are busy. 0 = the same priority.",
    )
    max_nesting: int = Field(
        64,
        ge=1,
        description="Deepest nesting of groups ({ } and parentheses) a query may have; deeper "
        "queries get 400 before they reach the engine (whose parser would overflow its "
        "stack).",
    )
    store_in_memory: bool = Field(
        False,
        description="Give each worker an in-memory copy of the store instead of reading the "
        "on-disk store (2-5 times faster queries, but every worker process holds the whole "
        "store: about 400 bytes per quad; for small publications, or with worker_threads "
        "so that one process holds it for many workers).",
    )
    worker_threads: int = Field(
        1,
        ge=1,
        le=64,
        description="Queries one worker process runs at once, each in a thread of its own "
        "(the engine runs them side by side: it does not hold Python's lock). 1 (the "
        "default): every query has a process of its own. More: the workers are threads of "
        "fewer processes, which share their store's caches, or with store_in_memory one "
        "in-memory copy of the store for all their threads (at 30,000 offerings the query "
        "mix then ran 2.7-4.1 times as fast as Oxigraph's server reading its disk store, "
        "with 1.7 GB for the whole server). But a query that overruns timeout or the memory "
        "limit (worker_memory_mb times the threads, for the process) is stopped with its "
        "process: the other queries running in it start again on its fresh fork (once; one "
        "whose answer had begun to go out is cut, as at a time limit); worker_keep_mb does "
        "not apply.",
    )
    result_cache_mb: int = Field(
        64,
        ge=0,
        description="Memory for cached results (whole results up to 256 KiB, per query and "
        "publication; a new publication starts empty). 0 = no cache.",
    )
    service_allowlist: Annotated[tuple[str, ...], NoDecode, BeforeValidator(_words)] = Field(
        (),
        description="Endpoint IRIs that SERVICE may call, separated by spaces in the "
        "environment. Empty (the default) refuses every SERVICE clause and forbids worker "
        "processes to open network sockets at all.",
    )
    broker_socket: str = Field(
        "",
        description="Unix socket of a running query broker to send queries to (avoinkunta "
        "serve starts one for all its web processes and sets this); empty = the endpoint "
        "starts its own broker.",
    )


WORKERS_PER_CORE = 4
MOST_AUTOMATIC_WORKERS = 32


def worker_count(settings: SparqlSettings, cores: int | None = None) -> int:
    """The number of query workers: ``workers``, or when 0 the automatic number."""
    if settings.workers:
        return settings.workers
    cores = cores or os.cpu_count() or 1
    return min(MOST_AUTOMATIC_WORKERS, WORKERS_PER_CORE * cores) + settings.reserved_workers


def settings_help() -> dict[str, tuple[Any, str]]:
    """name → (default, help), for documentation and the query page."""
    return {
        name: (field.default, field.description or "")
        for name, field in SparqlSettings.model_fields.items()
    }
