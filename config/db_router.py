"""Read replica routing: anonymous public reads go to ``replica``, everything else to
``default``.

Registered in settings only when DATABASE_REPLICA_URL is set. ``ReplicaRoutingMiddleware``
marks a request as replica-safe when its path is public, its user is anonymous and the
browser carries no ``cd_wrote`` cookie (set for a few seconds after any write, so the
desk reads its own writes). Any write inside the request turns the rest of it to the
primary. When the replica cannot be reached (a cached probe, short connect timeout) reads
stay on the primary and nothing fails; a replica that goes away between two probes fails
the request that finds it gone, which is then answered again from the primary.
"""

import contextvars
import re
import threading
import time

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections

_replica_ok = contextvars.ContextVar("claimdesk_replica_ok", default=False)
PUBLIC_PATH = re.compile(
    r"^/(s/|c/|feeds/|embed/|oembed|static/|stories/[^/]+/feed\.|claims/\d+/feed\.)"
)
WROTE_COOKIE = "cd_wrote"
WROTE_SECONDS = 5
_HEALTH_TTL = 5.0
_health = {"checked": 0.0, "up": False}
_health_lock = threading.Lock()


def replica_up() -> bool:
    """Whether the replica answers, probed at most every few seconds per process."""
    now = time.monotonic()
    if now - _health["checked"] < _HEALTH_TTL:
        return _health["up"]
    with _health_lock:
        if now - _health["checked"] < _HEALTH_TTL:
            return _health["up"]
        params = connections["replica"].get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params["connect_timeout"] = 1
        try:
            psycopg.connect(**params).close()
            up = True
        except psycopg.Error:
            up = False
            connections["replica"].close()
        _health.update(checked=time.monotonic(), up=up)
        return up


def _replica_failed() -> bool:
    """After a database error in a replica-read request: whether the replica is the cause."""
    with _health_lock:
        _health["checked"] = 0.0
    try:
        connections["replica"].close()
    except (OperationalError, InterfaceError):
        pass
    return not replica_up()


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_ok.get() and replica_up():
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        _replica_ok.set(False)  # read-your-writes for the rest of the request
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaRoutingMiddleware:
    """After AuthenticationMiddleware: decides per request whether reads may go to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = (
            "replica" in settings.DATABASES
            and request.method in ("GET", "HEAD")
            and PUBLIC_PATH.match(request.path_info) is not None
            and WROTE_COOKIE not in request.COOKIES
            and "sessionid" not in request.COOKIES
        )
        request.claimdesk_replica_read = safe
        token = _replica_ok.set(safe)
        try:
            response = self.get_response(request)
        finally:
            _replica_ok.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
            response.set_cookie(WROTE_COOKIE, "1", max_age=WROTE_SECONDS, httponly=True)
        return response

    def process_exception(self, request, exception):
        """The replica went away mid-request: answer again, from the primary (public views
        only read, so running one twice changes nothing)."""
        if not getattr(request, "claimdesk_replica_read", False):
            return None
        if not isinstance(exception, OperationalError | InterfaceError) or not _replica_failed():
            return None
        request.claimdesk_replica_read = False
        _replica_ok.set(False)
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if callable(getattr(response, "render", None)):
            response = response.render()
        return response
