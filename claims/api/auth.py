"""Who is calling: a bearer token acting as its user, or the desk's own session (with CSRF)."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from claims.access import is_desk_user, require_write_scope
from claims.api.ratelimit import check_rate
from claims.services.api_tokens import api_token_verify


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        record = api_token_verify(token)
        if record is None:
            return None
        request.user = record.user
        request.api_token = record
        check_rate(record)
        return record.user


class DeskSessionAuth(SessionAuth):
    """The logged-in desk user; unsafe methods must carry the CSRF token."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is not None:
            request.api_token = None
        return user


AUTH = [TokenAuth(), DeskSessionAuth(csrf=True)]


def writer(request: HttpRequest):
    """The user behind a write: refuses a read-only token and anyone off the desk."""
    require_write_scope(getattr(request, "api_token", None))
    return request.user


def reader(request: HttpRequest):
    return request.user


__all__ = ["AUTH", "is_desk_user", "reader", "writer"]
