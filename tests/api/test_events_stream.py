"""/api/v1/events/stream under uvicorn, read with a real SSE client (httpx-sse): a client
that drops the connection and resumes with Last-Event-ID misses nothing and sees nothing
twice."""

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from django.conf import settings
from httpx_sse import connect_sse

from claims.models import OutboxEvent
from tests.api.test_events import rule
from tests.support.factories import ClaimFactory, StoryFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def asgi_server():
    """uvicorn serving config.asgi on the test database."""
    db = settings.DATABASES["default"]
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CLAIMDESK_EVENT_STREAM_SECONDS": "20",
        "CLAIMDESK_EVENT_HEARTBEAT_SECONDS": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise RuntimeError(server.stderr.read().decode())
        try:
            httpx.get(base + "/api/v1/events", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("uvicorn did not start")


def read_events(base: str, count: int, headers: dict | None = None) -> list:
    """Read ``count`` events from the stream, then drop the connection."""
    got = []
    timeout = httpx.Timeout(10.0)
    with httpx.Client(base_url=base, timeout=timeout) as client:
        with connect_sse(
            client, "GET", "/api/v1/events/stream", headers=dict(headers or {})
        ) as source:
            assert source.response.headers["content-type"].startswith("text/event-stream")
            assert "no-" in source.response.headers["cache-control"]  # no-cache or no-store
            assert source.response.headers["x-accel-buffering"] == "no"
            for sse in source.iter_sse():
                if not sse.data:
                    continue  # the retry frame: a browser's EventSource dispatches nothing
                got.append(sse)
                if len(got) == count:
                    break
    return got


def test_resume_with_last_event_id_misses_nothing_and_repeats_nothing(asgi_server, editor):
    story = StoryFactory(actor=editor)
    private = ClaimFactory(story=StoryFactory(actor=editor, is_public=False))
    claims = [ClaimFactory(story=story) for _ in range(6)]
    for claim in claims[:3]:
        rule(claim, editor)
    rule(private, editor)

    first = read_events(asgi_server, 2)
    for claim in claims[3:]:
        rule(claim, editor)
    rest = read_events(asgi_server, 4, headers={"Last-Event-ID": first[-1].id})

    told = [int(sse.id) for sse in first + rest]
    public = OutboxEvent.objects.exclude(claim=private).order_by("id")
    assert told == list(public.values_list("id", flat=True))
    assert {sse.event for sse in first + rest} == {"claim.status_changed"}
    ids = [json.loads(sse.data)["data"]["claim_id"] for sse in first + rest]
    assert ids == [claim.pk for claim in claims]


def test_a_quiet_stream_sends_heartbeats(asgi_server):
    with httpx.Client(base_url=asgi_server, timeout=httpx.Timeout(10.0)) as client:
        with client.stream("GET", "/api/v1/events/stream") as response:
            lines = []
            for line in response.iter_lines():
                lines.append(line)
                if line.startswith(": heartbeat"):
                    break

    assert lines[0] == "retry: 2000"
    assert ": heartbeat" in lines
