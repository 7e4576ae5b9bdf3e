"""Fixtures for the background-work tests (import them into a test module to use them)."""

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from tests.support.receivers import ReceiverState, SlowHeaderServer, WebhookReceiver

SECRET = "partner-shared-secret"


@contextmanager
def task_time_limit(seconds: float) -> Iterator[None]:
    """Cut off what runs inside after ``seconds``, as a worker's soft time limit does: by a
    signal that raises SoftTimeLimitExceeded wherever the task is (main thread only)."""

    def expire(signum, frame):
        raise SoftTimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def eager_celery():
    """Run queued tasks inline, as the embedded default does, even when REDIS_URL is set."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture
def receiver(settings):
    """A partner's endpoint on 127.0.0.1, and the setting that lets webhooks reach loopback
    (off by default, as in production; a test about the refusal turns it off again)."""
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    server = WebhookReceiver(ReceiverState(secret=SECRET)).start()
    yield server
    server.stop()


@pytest.fixture
def slow_server():
    server = SlowHeaderServer().start()
    yield server
    server.stop()


@pytest.fixture
def committed_db(transactional_db):
    """Rows committed as they are written, so another process (a worker) sees them.

    PostgreSQL only: mark the test ``postgres``.
    """
    yield
