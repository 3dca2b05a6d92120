"""Who runs next: per-client budgets of query time and a fair queue (the broker's policy).

Pure bookkeeping, no processes or sockets, so that it can be tested with a fake clock.

* **Budget.** Each client address has a bucket of query time (``client_burst`` seconds
  when full) that refills at ``client_budget`` seconds per minute. A query is charged the
  time it held a worker when it ends. A client whose bucket is empty gets 429 with
  ``Retry-After`` = the seconds until it holds time again (Wikidata's policy: time used,
  not only concurrent queries, so that many short queries count too).
* **Usage.** Query time used, decaying with a time constant of a minute. It orders the
  queue: the waiting query of the client that used least goes first, and only clients
  that used less than ``light_client_seconds`` may take the reserved workers. So when the
  endpoint is saturated, a client asking little gets through before clients asking much,
  however many addresses the latter use.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

USAGE_TIME_CONSTANT = 60.0  # seconds
MIN_CHARGE = 0.001  # seconds: even a query answered at once costs something

J = TypeVar("J")


@dataclass
class Client(Generic[J]):
    tokens: float
    updated: float
    usage: float = 0.0
    running: int = 0
    waiting: deque[J] = field(default_factory=deque)

    @property
    def active(self) -> int:
        return self.running + len(self.waiting)


class Fairness(Generic[J]):
    def __init__(self, budget_per_minute: float, burst: float, light_seconds: float):
        self.rate = budget_per_minute / 60.0  # seconds of query time per second
        self.burst = burst
        self.light_seconds = light_seconds
        self._clients: dict[str, Client[J]] = {}

    # --- budgets ---------------------------------------------------------------------

    def client(self, address: str, now: float) -> Client[J]:
        state = self._clients.get(address)
        if state is None:
            state = self._clients[address] = Client(tokens=self.burst, updated=now)
        else:
            self._advance(state, now)
        return state

    def _advance(self, state: Client[J], now: float) -> None:
        elapsed = max(0.0, now - state.updated)
        if self.rate > 0:
            state.tokens = min(self.burst, state.tokens + elapsed * self.rate)
        state.usage *= math.exp(-elapsed / USAGE_TIME_CONSTANT)
        state.updated = now

    def over_budget(self, address: str, now: float) -> int | None:
        """Seconds until ``address`` may run a query again, or None if it may now."""
        if self.rate <= 0 and self.burst <= 0:
            return None  # budgets off
        state = self.client(address, now)
        if state.tokens > 0:
            return None
        if self.rate <= 0:
            return 3600
        return max(1, math.ceil(-state.tokens / self.rate))

    def charge(self, address: str, seconds: float, now: float) -> None:
        state = self.client(address, now)
        cost = max(MIN_CHARGE, seconds)
        state.tokens -= cost
        state.usage += cost

    def is_light(self, address: str, now: float) -> bool:
        return self.client(address, now).usage < self.light_seconds

    def usage(self, address: str, now: float) -> float:
        return self.client(address, now).usage

    # --- the queue -------------------------------------------------------------------

    def enqueue(self, address: str, job: J, now: float) -> None:
        self.client(address, now).waiting.append(job)

    def remove(self, address: str, job: J) -> bool:
        state = self._clients.get(address)
        if state is not None and job in state.waiting:
            state.waiting.remove(job)
            return True
        return False

    def waiting(self) -> Iterator[tuple[str, J]]:
        for address, state in self._clients.items():
            for job in state.waiting:
                yield address, job

    def queued(self) -> int:
        return sum(len(state.waiting) for state in self._clients.values())

    def next(self, now: float, light_only: bool = False) -> tuple[str, J] | None:
        """The waiting job to run next: the oldest of the client that used least (of the
        light clients only, for a reserved worker), without removing it."""
        best: tuple[float, str] | None = None
        for address, state in self._clients.items():
            if not state.waiting:
                continue
            self._advance(state, now)
            if light_only and state.usage >= self.light_seconds:
                continue
            # A client with queries running counts them as if they had used a second each,
            # so that one client's second query waits behind another client's first.
            key = (state.usage + state.running, address)
            if best is None or key < best:
                best = key
        if best is None:
            return None
        address = best[1]
        return address, self._clients[address].waiting[0]

    def start(self, address: str, job: J) -> None:
        state = self._clients[address]
        state.waiting.remove(job)
        state.running += 1

    def finish(self, address: str, seconds: float, now: float) -> None:
        state = self.client(address, now)
        state.running = max(0, state.running - 1)
        self.charge(address, seconds, now)

    def forget_idle(self, now: float) -> None:
        """Drop clients with a full bucket, no usage and nothing running (bounded memory)."""
        for address in [
            a
            for a, s in self._clients.items()
            if not s.active and now - s.updated > 2 * USAGE_TIME_CONSTANT
        ]:
            state = self._clients[address]
            self._advance(state, now)
            if state.tokens >= self.burst and state.usage < 0.01:
                del self._clients[address]
