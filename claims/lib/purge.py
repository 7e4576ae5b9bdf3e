"""Purging surrogate keys from the HTTP cache in front of the public pages.

A backend has one method, ``purge(keys)``, which returns when the cache has dropped every
page tagged with one of ``keys`` and raises ``PurgeError`` otherwise. Varnish (with the xkey
vmod from ``varnish-modules``) is implemented: one ``PURGE`` request whose ``xkey-purge``
header lists the keys, space-separated; the VCL answers 200. Fastly (``POST
/service/<id>/purge`` with ``Surrogate-Key``) and Cloudflare (``purge_cache`` by tags) take
the same keys and fit the same interface.
"""

import http.client
from collections.abc import Iterable
from typing import Protocol
from urllib.parse import urlsplit


class PurgeError(Exception):
    """The cache did not confirm the purge."""


class PurgeBackend(Protocol):
    def purge(self, keys: Iterable[str]) -> None: ...


class VarnishXkeyBackend:
    def __init__(self, url: str, *, timeout: float = 5.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self.path = parts.path or "/"
        self.timeout = timeout

    def purge(self, keys: Iterable[str]) -> None:
        header = " ".join(sorted(set(keys)))
        if not header:
            return
        connection_class = (
            http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(self.host, self.port, timeout=self.timeout)
        try:
            connection.request("PURGE", self.path, headers={"xkey-purge": header})
            response = connection.getresponse()
            response.read()
        except OSError as error:
            raise PurgeError(f"cache unreachable: {error}") from error
        finally:
            connection.close()
        if response.status != 200:
            raise PurgeError(f"cache answered {response.status} {response.reason}")


def backend_for(url: str | None, *, timeout: float = 5.0) -> PurgeBackend | None:
    """The backend for ``CLAIMDESK_PURGE_URL``; none when it is unset (nothing to purge)."""
    return VarnishXkeyBackend(url, timeout=timeout) if url else None
