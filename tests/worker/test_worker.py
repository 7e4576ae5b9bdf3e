"""A real Celery worker (another process) against the real PostgreSQL and Redis.

The worker reads the test database, so rows are committed (``committed_db``), and it runs
beat in-process with a one-second outbox sweep. Every wait is bounded and every process this
module starts is killed in a finalizer.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from claims import services
from claims.models import Claim, OutboxEvent, WebhookDelivery, WebhookSubscriber
from tests.support.background import SECRET
from tests.support.factories import ClaimFactory, EvidenceFactory, StoryFactory, UserFactory
from tests.support.receivers import ReceiverState, WebhookReceiver, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.redis]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    """``celery -A config worker -B`` in its own process group, restartable and killable."""

    def __init__(self, redis_url: str, workdir: Path, env: dict[str, str] | None = None) -> None:
        self.redis_url = redis_url
        self.workdir = workdir
        self.env = env or {}
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> Worker:
        self.starts += 1
        log = self.workdir / f"worker-{self.starts}.log"
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.redis_url,
            "CLAIMDESK_OUTBOX_SWEEP_SECONDS": "1",
            "CLAIMDESK_WEBHOOK_BACKOFF_SCALE": "0.2",
            # The receivers are on 127.0.0.1, which webhooks may not reach by default.
            "CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK": "1",
            "CLAIMDESK_REQUIRE_SERVICES": "",
            **self.env,
        }
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-B",
            "--schedule", str(self.workdir / "beat-schedule"),
            "--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle",
            "--queues=celery,ingest",
            "-n", f"test-{uuid.uuid4().hex[:8]}@%h",
        ]  # fmt: skip
        self.log_file = log.open("wb")
        self.process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: b"ready." in log.read_bytes() or self._died(), timeout=60, what="worker")
        assert not self._died(), log.read_text(errors="replace")[-3000:]
        return self

    def _died(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once, as a crashed machine would."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log_file.close()
        self.process = None

    def logs(self) -> str:
        return "\n".join(
            p.read_text(errors="replace")[-2000:] for p in sorted(self.workdir.glob("worker-*"))
        )


@contextmanager
def celery_publishing_to(broker_url: str) -> Iterator[None]:
    """Point this process's Celery app at another broker for the length of a test."""
    from config.celery import app

    def reset() -> None:
        # Celery caches its broker connections; dropping them makes the new URL take effect.
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    app.conf.broker_url = broker_url
    reset()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        reset()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver(ReceiverState(secret=SECRET)).start()
    yield server
    server.stop()


@pytest.fixture
def desk(committed_db):
    editor = UserFactory(username="eddie", role="editor")
    return editor, StoryFactory(actor=editor)


@pytest.fixture
def worker(committed_db, tmp_path) -> Iterator[Worker]:
    from config.celery import app

    app.control.purge()  # stale messages from earlier tests would only add noise
    process = Worker(settings.REDIS_URL, tmp_path)
    yield process
    process.kill()


def _rule(claim: Claim, editor) -> OutboxEvent:
    """A verdict on the claim: partners are sent rulings only."""
    EvidenceFactory(claim=claim, actor=editor)
    claim.refresh_from_db()
    services.claim_set_status(
        claim=claim,
        status="unproven",
        rationale="No evidence either way yet.",
        actor=editor,
        expected_version=claim.version,
    )
    return OutboxEvent.objects.filter(claim=claim).latest("pk")


def _all_delivered(event_ids: list[int]) -> bool:
    done = WebhookDelivery.objects.filter(event_id__in=event_ids, state="delivered").count()
    dispatched = OutboxEvent.objects.filter(pk__in=event_ids, dispatched_at__isnull=False).count()
    return done == len(event_ids) and dispatched == len(event_ids)


def test_status_change_reaches_the_receiver_signed(worker, receiver, desk):
    editor, story = desk
    WebhookSubscriber.objects.create(name="Partner", url=receiver.url, secret=SECRET)
    worker.start()

    claim = ClaimFactory(story=story, text="Iran fired two missiles.")
    event = _rule(claim, editor)

    wait_for(lambda: _all_delivered([event.pk]), timeout=60, what=worker.logs)
    [hit] = receiver.state.received
    assert hit.signature_ok
    assert hit.key == str(event.pk)
    assert hit.body["new_status"] == "unproven"
    assert hit.body["title"] == "Unproven: Iran fired two missiles."


def test_worker_killed_mid_delivery_still_delivers_every_event_once(worker, receiver, desk):
    editor, story = desk
    receiver.state.hold_first = hold = threading.Event()
    WebhookSubscriber.objects.create(name="Partner", url=receiver.url, secret=SECRET)
    worker.start()
    events = [_rule(ClaimFactory(story=story), editor) for _ in range(3)]
    ids = [e.pk for e in events]
    assert receiver.state.first_arrived.wait(timeout=60), worker.logs()

    worker.kill()
    hold.set()  # the receiver finishes processing the request whose sender died
    cut_off = WebhookDelivery.objects.get(event_id=int(receiver.state.received[0].key))
    assert (cut_off.state, cut_off.attempts) == ("pending", 1)  # the killed attempt counts
    worker.start()

    wait_for(lambda: _all_delivered(ids), timeout=90, what=worker.logs)
    first_key = receiver.state.received[0].key
    assert receiver.state.keys_received().count(first_key) >= 2  # sent again after the crash
    assert sorted(receiver.state.processed) == sorted(str(i) for i in ids)
    assert all(r.signature_ok for r in receiver.state.received)


def test_a_last_attempt_cut_off_mid_post_is_counted_not_sent_forever(worker, receiver, desk):
    editor, story = desk
    worker.env.update(CLAIMDESK_WEBHOOK_TIMEOUT="5", CLAIMDESK_WEBHOOK_MAX_ATTEMPTS="1")
    receiver.state.hold_first = hold = threading.Event()  # the partner answers too slowly
    WebhookSubscriber.objects.create(name="Partner", url=receiver.url, secret=SECRET)
    worker.start()
    event = _rule(ClaimFactory(story=story), editor)
    assert receiver.state.first_arrived.wait(timeout=60), worker.logs()

    worker.kill()  # what the task's hard time limit does to the process running the POST
    hold.set()
    worker.start()

    row = wait_for(
        lambda: WebhookDelivery.objects.filter(event=event, state="dead").first(),
        timeout=60,
        what=worker.logs,
    )
    # Its only attempt was cut off: counted, then closed by the sweep instead of re-sent.
    assert (row.attempts, row.last_status) == (1, None)
    assert row.last_error.startswith("interrupted")
    assert receiver.state.keys_received() == [str(event.pk)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A private redis-server, so stopping it disturbs no one else's Redis."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self._answers, timeout=20, what=f"redis-server on {self.port}")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)
        self.process = None


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    server = RedisServer(_free_port()).start()
    yield server
    server.stop()


def test_changes_made_while_redis_is_down_are_delivered_when_it_is_back(
    committed_db, receiver, desk, private_redis, tmp_path
):
    editor, story = desk
    WebhookSubscriber.objects.create(name="Partner", url=receiver.url, secret=SECRET)
    broker = f"redis://127.0.0.1:{private_redis.port}/0"
    worker = Worker(broker, tmp_path)
    claims = [ClaimFactory(story=story) for _ in range(2)]
    try:
        with celery_publishing_to(broker):
            worker.start()
            private_redis.stop()

            events = [_rule(claim, editor) for claim in claims]

            assert {c.status for c in Claim.objects.filter(pk__in=[c.pk for c in claims])} == {
                "unproven"
            }
            assert OutboxEvent.objects.filter(dispatched_at__isnull=True).count() == 2
            private_redis.start()
            ids = [e.pk for e in events]
            wait_for(lambda: _all_delivered(ids), timeout=90, what=worker.logs)
    finally:
        worker.kill()

    assert sorted(receiver.state.processed) == sorted(str(i) for i in ids)
