"""What routes depend on: settings, the store, the review service, the caller's identity.

The app factory puts one :class:`Services` on ``app.state``; routes reach it through the
aliases below (``StoreDep``, ``StaffDep`` …) so tests can build the app with other parts.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request

from ingest.errors import CoachError
from ingest.settings import Settings
from server.auth import SESSION_COOKIE, NotAuthenticated, StaffPrincipal, authenticate
from server.ratelimit import SlidingWindowLimiter
from server.storage import Store

if TYPE_CHECKING:
    from coach.review import ReviewService


class Services:
    """The app's parts. The review service opens the retriever, which takes a few seconds, so
    it is built once (at start-up, or on first use) and shared by all requests."""

    def __init__(self, settings: Settings, store: Store, review_service: Any | None = None):
        self.settings = settings
        self.store = store
        self.limiter = SlidingWindowLimiter(settings.rate_limit_per_minute)
        # Reads get their own, larger budget: a writer reloading the page must not spend the
        # budget their next review needs.
        self.link_read_limiter = SlidingWindowLimiter(settings.link_reads_per_minute)
        self._review = review_service
        self._review_error: CoachError | None = None
        self._lock = threading.Lock()

    def review_service(self) -> ReviewService:
        if self._review is not None:
            return self._review
        with self._lock:
            if self._review is None:
                from coach.review import ReviewService

                try:
                    self._review = ReviewService.from_settings(self.settings)
                    self._review_error = None
                except CoachError as err:
                    # Remembered for /healthz; the next request tries again (e.g. after ingest).
                    self._review_error = err
                    raise
            return self._review

    def warm_up(self) -> None:
        """Build the service and open its retriever now, so the first writer does not wait and
        ``/healthz`` reports a broken index (e.g. built by another embedder) at start."""
        service = self.review_service()
        try:
            # One query loads the embedding model too (about a second), off the first writer.
            service.retriever.retrieve("官民共創の提案", k=1)
        except CoachError as err:
            self._review_error = err
            raise

    @property
    def review_ready(self) -> bool:
        return self._review is not None

    @property
    def review_error(self) -> CoachError | None:
        return self._review_error


def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_store(services: ServicesDep) -> Store:
    return services.store


def get_settings_dep(services: ServicesDep) -> Settings:
    return services.settings


def get_review_service(services: ServicesDep) -> ReviewService:
    # IndexNotReady (503, "run `coach ingest`") propagates to the error handler as is.
    return services.review_service()


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ReviewServiceDep = Annotated["ReviewService", Depends(get_review_service)]


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def rate_limited(request: Request, services: ServicesDep) -> None:
    """Count this request against the caller's per-minute budget (public endpoints only)."""
    services.limiter.hit(client_key(request))


RateLimitDep = Depends(rate_limited)


def link_read_limited(request: Request, services: ServicesDep) -> None:
    """Count a private-link read (found or not) against the caller's read budget."""
    services.link_read_limiter.hit(client_key(request))


LinkReadLimitDep = Depends(link_read_limited)


def staff_credential(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(SESSION_COOKIE)


def current_staff(request: Request, store: StoreDep) -> StaffPrincipal:
    principal = authenticate(store, staff_credential(request))
    request.state.staff = principal
    return principal


def current_admin(principal: Annotated[StaffPrincipal, Depends(current_staff)]) -> StaffPrincipal:
    principal.require("admin")
    return principal


StaffDep = Annotated[StaffPrincipal, Depends(current_staff)]
AdminDep = Annotated[StaffPrincipal, Depends(current_admin)]

__all__ = [
    "AdminDep",
    "LinkReadLimitDep",
    "NotAuthenticated",
    "RateLimitDep",
    "ReviewServiceDep",
    "Services",
    "ServicesDep",
    "SettingsDep",
    "StaffDep",
    "StoreDep",
]
