"""A partner's webhook endpoint on 127.0.0.1: it checks signatures and drops repeated keys."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    key: str
    event: str
    body: dict
    signature_ok: bool


@dataclass
class ReceiverState:
    secret: str
    status: int = 200
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
        expected = "sha256=" + hmac.new(state.secret.encode(), raw, hashlib.sha256).hexdigest()
        signature_ok = hmac.compare_digest(expected, self.headers.get("X-Claimdesk-Signature", ""))
        key = self.headers.get("Idempotency-Key", "")
        with state.lock:
            state.received.append(
                Received(
                    key, self.headers.get("X-Claimdesk-Event", ""), json.loads(raw), signature_ok
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
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass  # the sender went away mid-request (a killed worker)


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
