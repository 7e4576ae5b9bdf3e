"""Every URL pattern the project serves, read from the resolver, with a key to look it up by.

The key is the URL's name (``claim_detail``, ``admin:claims_claim_change``); an unnamed pattern
is keyed by its route, and an admin model's object redirect by ``admin:<model>_redirect``.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

ADMIN_MODEL_URL = re.compile(
    r"^admin:(?P<model>[a-z]+_[a-z]+)_(?P<suffix>changelist|add|history|delete|change)$"
)
ADMIN_OBJECT_REDIRECT = re.compile(r"^admin/(?P<app>[a-z]+)/(?P<model>[a-z]+)/<path:object_id>/$")


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    params: tuple[str, ...]

    @property
    def key(self) -> str:
        if self.name:
            return self.name
        redirect = ADMIN_OBJECT_REDIRECT.match(self.route)
        if redirect:
            return f"admin:{redirect['app']}_{redirect['model']}_redirect"
        return f"unnamed:{self.route}"

    def path(self, kwargs: dict) -> str:
        if self.name:
            return reverse(self.name, kwargs=kwargs)
        # Unnamed patterns: fill the route in by hand (path converters and regex groups).
        filled = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m[1]]), self.route)
        filled = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m[1]]), filled)
        return "/" + filled.strip("^$")


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", None, ()))


def _walk(patterns, prefix: str, namespace: str | None, params: tuple) -> Iterator[Route]:
    for pattern in patterns:
        found = params + tuple(pattern.pattern.regex.groupindex)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, route, inner, found)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(name=name, route=route, params=found)


def offered_actions(page: str) -> list[str]:
    """The actions an admin changelist's action select offers, in its order."""
    select = re.search(r'<select name="action"[^>]*>(.*?)</select>', page, re.S)
    if select is None:
        return []
    return [value for value in re.findall(r'<option value="([^"]*)"', select[1]) if value]
