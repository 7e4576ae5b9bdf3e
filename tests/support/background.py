"""Fixtures for the background-work tests (import them into a test module to use them)."""

import pytest

from tests.support.receivers import ReceiverState, WebhookReceiver

SECRET = "partner-shared-secret"


@pytest.fixture
def eager_celery():
    """Run queued tasks inline, as the embedded default does, even when REDIS_URL is set."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture
def receiver():
    server = WebhookReceiver(ReceiverState(secret=SECRET)).start()
    yield server
    server.stop()


@pytest.fixture
def committed_db(transactional_db):
    """Rows committed as they are written, so another process (a worker) sees them.

    PostgreSQL only: mark the test ``postgres``.
    """
    yield
