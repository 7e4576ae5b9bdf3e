"""Servers on 127.0.0.1 for the HTTP client's tests.

``WebhookReceiver`` is a partner's webhook endpoint: it checks signatures and drops repeated
keys. ``SlowHeaderServer`` answers anything with a complete response whose head it sends one
byte at a time, each byte well within any per-read timeout.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import WebhookVerificationError

from claims.lib.webhooks import signer


@dataclass
class Received:
    key: str
    event: str
    body: dict
    signature_ok: bool
    # The whole Standard Webhooks document and headers; ``body`` is its ``data``.
    envelope: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


@dataclass
class ReceiverState:
    secret: str
    status: int = 200
    # Sent as Location with the status (a receiver that tries to bounce posts elsewhere).
    location: str = ""
    # Sent as Retry-After with the status (a receiver asking the desk to come back later).
    retry_after: str = ""
    # The first request waits on this event (bounded) before it is processed: "a slow receiver".
    hold_first: threading.Event | None = None
    received: list[Received] = field(default_factory=list)
    processed: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    first_arrived: threading.Event = field(default_factory=threading.Event)

    def keys_received(self) -> list[str]:
        with self.lock:
            return [r.key for r in self.received]


class WebhookReceiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: ReceiverState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/hooks/claimdesk"

    def start(self) -> WebhookReceiver:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: WebhookReceiver

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        state = self.server.state
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:  # as a partner would: the official Standard Webhooks library
            signer(state.secret).verify(raw, headers)
            signature_ok = True
        except WebhookVerificationError:
            signature_ok = False
        key = self.headers.get("webhook-id", "")
        body = json.loads(raw)
        with state.lock:
            state.received.append(
                Received(
                    key, body.get("type", ""), body.get("data", {}), signature_ok, body, headers
                )
            )
            first = len(state.received) == 1
        if first:
            state.first_arrived.set()
            if state.hold_first is not None:
                state.hold_first.wait(timeout=30)
        if not signature_ok:
            self._reply(401)
            return
        with state.lock:
            if key not in state.processed:  # idempotency: a repeated key is acknowledged only
                state.processed.append(key)
        self._reply(state.status)

    def _reply(self, status: int) -> None:
        try:
            self.send_response(status)
            if self.server.state.location:
                self.send_header("Location", self.server.state.location)
            if self.server.state.retry_after:
                self.send_header("Retry-After", self.server.state.retry_after)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass  # the sender went away mid-request (a killed worker)


class SlowHeaderServer(ThreadingHTTPServer):
    """Answers every GET and POST with 200 and a body, its head dripped a byte per interval.

    At 0.5 s a byte the head takes ten seconds: a client whose timeout applies to each read
    would wait for all of it and record a success.
    """

    daemon_threads = True
    HEAD = b"HTTP/1.0 200 OK\r\n\r\n"
    BODY = b"late but complete"

    def __init__(self, interval: float = 0.5) -> None:
        super().__init__(("127.0.0.1", 0), _SlowHeadHandler)
        self.interval = interval
        self.requests = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def start(self) -> SlowHeaderServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _SlowHeadHandler(BaseHTTPRequestHandler):
    server: SlowHeaderServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.requests += 1
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            for byte in SlowHeaderServer.HEAD:
                self.wfile.write(bytes([byte]))
                time.sleep(self.server.interval)
            self.wfile.write(SlowHeaderServer.BODY)
        except OSError:
            pass  # the client gave up
        self.close_connection = True

    do_POST = do_GET


def wait_for(condition, *, timeout: float, interval: float = 0.1, what="condition"):
    """Poll ``condition`` until it returns something truthy, failing after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    described = what() if callable(what) else what
    raise AssertionError(f"Timed out after {timeout:g}s waiting for {described}")
