"""Who runs next: per-client budgets of query time and a fair queue (the broker's policy).

Pure bookkeeping, no processes or sockets, so that it can be tested with a fake clock.

* **Budget.** Each client address has a bucket of query time (``client_burst`` seconds
  when full) that refills at ``client_budget`` seconds per minute. A query is charged the
  time it held a worker when it ends. A client whose bucket is empty gets 429 with
  ``Retry-After`` = the seconds until it holds time again (Wikidata's policy: time used,
  not only concurrent queries, so that many short queries count too).
* **Usage.** Query time used (the running queries' time so far included; each refused
  request counts 5 ms), decaying with a time constant of a minute. It orders the queue:
  the waiting query of the client that used least goes first. Only light clients may
  take the reserved workers: less than ``light_client_seconds`` used, no query running,
  and no refusal of its own doing (over its limits, a runaway stopped) in the last
  minute. So when the endpoint is saturated, a client asking little gets through before
  clients asking much, however many addresses the latter use.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

USAGE_TIME_CONSTANT = 60.0  # seconds
MIN_CHARGE = 0.001  # seconds: even a query answered at once costs something
REFUSAL_WEIGHT = 0.005  # seconds of usage (not of budget) a refused request counts for
REFUSAL_MEMORY = 60.0  # seconds a refusal of its own doing keeps a client from being light

J = TypeVar("J")


@dataclass
class Client(Generic[J]):
    tokens: float
    updated: float
    usage: float = 0.0
    started: list[float] = field(default_factory=list)  # when each running query began
    refused: float = float("-inf")  # when it was last refused (429/503)
    waiting: deque[J] = field(default_factory=deque)

    @property
    def running(self) -> int:
        return len(self.started)

    @property
    def active(self) -> int:
        return self.running + len(self.waiting)

    def load(self, now: float) -> float:
        """Query time used: what has decayed so far, plus the running queries' time so
        far (a client whose runaways have not ended yet is not light)."""
        return self.usage + sum(now - began for began in self.started)


class Fairness(Generic[J]):
    def __init__(self, budget_per_minute: float, burst: float, light_seconds: float):
        self.rate = budget_per_minute / 60.0  # seconds of query time per second
        self.burst = burst
        self.light_seconds = light_seconds
        self._clients: dict[str, Client[J]] = {}
        self._queued = 0  # waiting jobs of all clients (asked after every broker event)

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
        """Light: used little, has no query running now (one that holds a worker already
        does not get a reserved one too), and was not refused lately (a client pushing
        against the limits, from however many addresses, is not light)."""
        return self._light(self.client(address, now), now)

    def _light(self, state: Client[J], now: float) -> bool:
        return (
            not state.started
            and state.usage < self.light_seconds
            and now - state.refused > REFUSAL_MEMORY
        )

    def refuse(self, address: str, now: float, own_doing: bool = True) -> None:
        """Note a refusal. It counts for the order of the queue (not against the budget);
        one the client brought on itself (over its limits, a runaway stopped) also keeps
        it from counting as light for a while. A refusal because the endpoint is full is
        not held against the client's lightness: that would shut out the polite clients
        it is there to protect."""
        state = self.client(address, now)
        if own_doing:
            state.refused = now
        state.usage += REFUSAL_WEIGHT

    def usage(self, address: str, now: float) -> float:
        return self.client(address, now).load(now)

    # --- the queue -------------------------------------------------------------------

    def enqueue(self, address: str, job: J, now: float) -> None:
        self.client(address, now).waiting.append(job)
        self._queued += 1

    def remove(self, address: str, job: J) -> bool:
        state = self._clients.get(address)
        if state is not None and job in state.waiting:
            state.waiting.remove(job)
            self._queued -= 1
            return True
        return False

    def waiting(self) -> Iterator[tuple[str, J]]:
        if not self._queued:
            return
        for address, state in self._clients.items():
            for job in state.waiting:
                yield address, job

    def queued(self) -> int:
        return self._queued

    def next(self, now: float, light_only: bool = False) -> tuple[str, J] | None:
        """The waiting job to run next: the oldest of the client that used least (of the
        light clients only, for a reserved worker), without removing it."""
        best: tuple[float, str] | None = None
        for address, state in self._clients.items():
            if not state.waiting:
                continue
            self._advance(state, now)
            if light_only and not self._light(state, now):
                continue
            # Running queries count with their time so far, and a second each on top, so
            # that one client's second query waits behind another client's first.
            key = (state.load(now) + state.running, address)
            if best is None or key < best:
                best = key
        if best is None:
            return None
        address = best[1]
        return address, self._clients[address].waiting[0]

    def start(self, address: str, job: J, now: float) -> None:
        state = self._clients[address]
        state.waiting.remove(job)
        self._queued -= 1
        state.started.append(now)

    def begin(self, address: str, now: float) -> None:
        """A job of ``address`` starts without having waited (nothing was queued)."""
        self.client(address, now).started.append(now)

    def finish(self, address: str, seconds: float, now: float) -> None:
        state = self.client(address, now)
        if state.started:  # the oldest: which one ended does not change the sum for long
            state.started.pop(0)
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
