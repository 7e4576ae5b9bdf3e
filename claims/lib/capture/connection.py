"""One HTTP exchange with a vetted host, all of it inside one wall-clock deadline.

The host is resolved once and every address it resolves to is vetted; the connection goes to
a vetted IP, with the original name in ``Host`` and for TLS, so a DNS answer cannot change
between check and use. Every wait (resolution, connect, handshake, each send and receive of
the request, the headers and the body) is for what is left of the deadline, so a server that
drips one byte at a time cannot stretch the exchange beyond it. Whatever goes wrong leaves
``exchange`` as a ``CaptureError`` that names the kind of failure.
"""

from __future__ import annotations

import http.client
import io
import queue
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from claims.lib.capture.addresses import BlockedAddress, check_address
from claims.lib.capture.errors import BLOCKED, BROKEN, TIMEOUT, TLS, UNREACHABLE, CaptureError
from claims.lib.capture.targets import Target

Resolver = Callable[[str, int], list[str]]

_TLS_CONTEXT = ssl.create_default_context()


class Deadline:
    """One limit for a whole exchange: every wait is for what is left of it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._at = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; raise TimeoutError once there are none."""
        left = self._at - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left


@dataclass(frozen=True)
class Request:
    method: str
    target: Target
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


# --- resolution -----------------------------------------------------------------------------


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def vetted_addresses(
    target: Target, deadline: Deadline, *, allow_loopback: bool, resolver: Resolver
) -> list[str]:
    """Resolve the host and vet every address; one disallowed address blocks the whole host."""
    if target.literal is not None:
        _vet(str(target.literal), allow_loopback, via=None)
        return [str(target.literal)]
    addresses = _resolve(target, deadline, resolver)
    for address in addresses:
        _vet(address, allow_loopback, via=target.host)
    return addresses


def _vet(address: str, allow_loopback: bool, via: str | None) -> None:
    try:
        check_address(address, allow_loopback=allow_loopback)
    except BlockedAddress as exc:
        suffix = f" (resolved from {via})" if via else ""
        raise CaptureError(f"blocked: {exc}{suffix}", BLOCKED) from None


def _resolve(target: Target, deadline: Deadline, resolver: Resolver) -> list[str]:
    try:
        found = _call_before(deadline, resolver, target.host, target.port)
    except TimeoutError:
        raise _timeout(deadline) from None
    except OSError as exc:
        message = f"could not resolve {target.host}: {os_message(exc)}"
        raise CaptureError(message, UNREACHABLE) from None
    addresses = list(dict.fromkeys(found))
    if not addresses:
        raise CaptureError(f"could not resolve {target.host}: no addresses", UNREACHABLE)
    return addresses


def _call_before(deadline: Deadline, func: Resolver, host: str, port: int) -> list[str]:
    """Run a resolver, giving up at the deadline: getaddrinfo itself cannot be interrupted."""
    results: queue.Queue[tuple[bool, object]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            results.put((True, func(host, port)))
        except BaseException as exc:  # handed to the caller's thread
            results.put((False, exc))

    threading.Thread(target=run, name=f"capture-resolve-{host}", daemon=True).start()
    try:
        succeeded, value = results.get(timeout=deadline.remaining())
    except queue.Empty:
        raise TimeoutError from None
    if not succeeded:
        raise value  # type: ignore[misc]
    return value  # type: ignore[return-value]


# --- connection -----------------------------------------------------------------------------


def _connect(target: Target, addresses: list[str], deadline: Deadline) -> socket.socket:
    """Connect to the first vetted address that accepts, and shake hands for https."""
    failure: OSError | None = None
    for ip in addresses:
        sock = socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET)
        try:
            sock.settimeout(deadline.remaining())
            sock.connect((ip, target.port))
        except TimeoutError:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            failure = exc
            continue
        except BaseException:
            sock.close()
            raise
        return _handshake(sock, target, deadline) if target.scheme == "https" else sock
    raise CaptureError(f"connection failed: {os_message(failure)}", UNREACHABLE)


def _handshake(sock: socket.socket, target: Target, deadline: Deadline) -> ssl.SSLSocket:
    try:
        sock.settimeout(deadline.remaining())  # the handshake as a whole waits at most this
        return _TLS_CONTEXT.wrap_socket(sock, server_hostname=target.host)
    except BaseException:
        sock.close()
        raise


class _DeadlineReader(io.RawIOBase):
    """The socket's input as http.client reads it: each receive waits only what is left."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        self._sock.settimeout(self._deadline.remaining())
        return self._sock.recv_into(buffer)


class _DeadlineSocket:
    """The socket http.client is given: sends and reads bounded by the deadline.

    ``close`` is left to ``exchange``, which owns the real socket.
    """

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._deadline.remaining())  # sendall's timeout is its total
        self._sock.sendall(data)

    def makefile(self, mode: str = "rb", *args: object, **kwargs: object) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def close(self) -> None:
        pass


# --- the exchange ---------------------------------------------------------------------------


@contextmanager
def exchange(
    request: Request, deadline: Deadline, *, allow_loopback: bool, resolver: Resolver
) -> Iterator[http.client.HTTPResponse]:
    """Send ``request`` to a vetted address of its host and yield the response, headers read.

    Reading the body inside the ``with`` block stays under the same deadline; any network
    failure, there or before, leaves the block as a ``CaptureError``.
    """
    target = request.target
    sock: socket.socket | None = None
    try:
        addresses = vetted_addresses(
            target, deadline, allow_loopback=allow_loopback, resolver=resolver
        )
        sock = _connect(target, addresses, deadline)
        connection = http.client.HTTPConnection(target.host, target.port)
        connection.sock = _DeadlineSocket(sock, deadline)  # type: ignore[assignment]
        headers = {"Host": target.host_header, "Connection": "close", **request.headers}
        connection.request(request.method, target.path, body=request.body, headers=headers)
        response = connection.getresponse()
        try:
            yield response
        finally:
            response.close()
    except (OSError, http.client.HTTPException) as exc:
        raise _classify(exc, deadline) from None
    finally:
        if sock is not None:
            sock.close()


def _timeout(deadline: Deadline) -> CaptureError:
    return CaptureError(f"timeout after {deadline.seconds:g}s", TIMEOUT)


def _classify(exc: BaseException, deadline: Deadline) -> CaptureError:
    # TimeoutError first: a handshake that runs out of time is one, not an SSLError.
    if isinstance(exc, TimeoutError):
        return _timeout(deadline)
    if isinstance(exc, ssl.SSLError):  # certificate failures included
        return CaptureError(f"TLS error: {exc}", TLS)
    if isinstance(exc, http.client.HTTPException | ConnectionError):
        return CaptureError(f"connection error: {os_message(exc)}", BROKEN)
    return CaptureError(f"network error: {os_message(exc)}", BROKEN)


def os_message(exc: BaseException | None) -> str:
    """The most specific human message in an exception chain (e.g. 'Connection refused')."""
    current = exc
    while current is not None:
        if isinstance(current, OSError) and current.strerror:
            return current.strerror
        current = current.__cause__ or current.__context__
    return (str(exc) or type(exc).__name__) if exc is not None else "no address"
