"""A per-client sliding-window rate limit for the public endpoints (in process).

One process serves the embedded deployment, so an in-memory window is enough; behind several
workers each has its own window (the limit becomes per worker), which is said in the docs.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from ingest.errors import CoachError


class RateLimited(CoachError):
    code = "rate_limited"
    http_status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"リクエストが多すぎます。{retry_after}秒ほどおいて再度お試しください。",
            f"Too many requests; try again in about {retry_after} s.",
        )
        self.retry_after = retry_after


class SlidingWindowLimiter:
    def __init__(self, per_minute: int, *, window_s: float = 60.0, max_clients: int = 10_000):
        self.per_minute = per_minute
        self.window_s = window_s
        self.max_clients = max_clients
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str) -> None:
        """Count one request from ``client``; raise :class:`RateLimited` past the limit."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.get(client)
            if hits is None:
                if len(self._hits) >= self.max_clients:
                    self._evict(now)
                hits = self._hits[client] = deque()
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            if len(hits) >= self.per_minute:
                retry = int(hits[0] + self.window_s - now) + 1
                raise RateLimited(max(retry, 1))
            hits.append(now)

    def _evict(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window_s]:
            del self._hits[key]
