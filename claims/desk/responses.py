"""What every desk view answers with, besides the page itself.

Status codes for refused input: 422 when the form or the service rejects it (htmx swaps it
in place, see the htmx-config meta in base.html), 409 when the claim changed since the user
loaded it, 403 when the user may not do this, 404 for what they cannot see.
"""

from django.http import HttpRequest

HTTP_CONFLICT = 409
HTTP_UNPROCESSABLE = 422


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request swaps a fragment; a history restore needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def template_for(request: HttpRequest, page: str, fragment: str) -> str:
    """One URL serves the page and its htmx fragment (``page#partial``, or a template of
    its own): the fragment for an htmx swap, the whole page otherwise."""
    return fragment if wants_fragment(request) else page
