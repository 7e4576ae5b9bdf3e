"""Fixtures for the background-work tests (import them into a test module to use them)."""

import pytest

from tests.receivers import ReceiverState, WebhookReceiver

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


def _reinstall_roles() -> None:
    from django.contrib.auth.models import Group, Permission

    from claims.permissions import ROLE_PERMISSIONS

    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        labels = [perm.split(".") for perm in perms]
        group.permissions.set(
            [Permission.objects.get(content_type__app_label=a, codename=c) for a, c in labels]
        )


def _flush_committed_rows() -> None:
    """Empty every table, as a transactional test's teardown does, revisions included.

    Revisions refuse TRUNCATE by design, so the trigger is switched off for the flush only.
    The flush also drops the role groups the migrations installed; they are put back.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE claims_revision DISABLE TRIGGER claims_revision_no_truncate")
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE claims_revision ENABLE TRIGGER claims_revision_no_truncate")
    ContentType.objects.clear_cache()
    _reinstall_roles()


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """Database access without a wrapping transaction, so other processes see the rows.

    For PostgreSQL tests only (a worker in another process reads what the test commits).
    """
    with django_db_blocker.unblock():
        try:
            yield
        finally:
            _flush_committed_rows()
