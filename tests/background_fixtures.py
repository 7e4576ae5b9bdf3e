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


def _allow_revision_truncate_for_the_flush() -> None:
    """Let the transactional teardown's flush empty the append-only revisions table.

    Revisions refuse TRUNCATE by design, so the trigger is switched off just before the flush
    and back on (with the role groups the flush removed) when the flush signals post_migrate.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models.signals import post_migrate

    last_app = [config for config in apps.get_app_configs() if config.models_module][-1].label

    def restore(sender, **kwargs):
        if sender.label != last_app:
            return
        post_migrate.disconnect(dispatch_uid="claimdesk-restore-after-flush")
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE claims_revision ENABLE TRIGGER claims_revision_no_truncate")
        ContentType.objects.clear_cache()
        _reinstall_roles()

    post_migrate.connect(restore, weak=False, dispatch_uid="claimdesk-restore-after-flush")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE claims_revision DISABLE TRIGGER claims_revision_no_truncate")


@pytest.fixture
def committed_db(transactional_db):
    """Rows committed as they are written, so another process (a worker) sees them.

    PostgreSQL only: mark the test ``postgres``.
    """
    yield
    _allow_revision_truncate_for_the_flush()
