"""With Redis, desk pages read a user's permissions from the cache; a changed role still
counts on the next request, with or without it.

Role changes are committed before the next request, as in the admin; the captured on-commit
callbacks run them here. A role change that cannot reach the cache is refused, so no cached
permission set outlives the rows it was read from.
"""

import socket

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims.auth_backends import PermissionCacheUnreachable
from tests.support.factories import ClaimFactory

RULING_FORM = "Rule on this claim"

pytestmark = pytest.mark.django_db


def _claim_page(client, claim) -> str:
    response = client.get(f"/claims/{claim.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.redis
def test_permissions_are_read_from_the_database_once_then_from_the_cache(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    assert RULING_FORM in _claim_page(client, claim)
    with CaptureQueriesContext(connection) as captured:
        assert RULING_FORM in _claim_page(client, claim)
    assert not [q for q in captured.captured_queries if "auth_permission" in q["sql"]]


def test_joining_and_leaving_a_role_counts_on_the_next_request(
    client, reporter, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    client.force_login(reporter)
    assert RULING_FORM not in _claim_page(client, claim)

    with django_capture_on_commit_callbacks(execute=True):
        reporter.groups.add(Group.objects.get(name="editor"))
    assert RULING_FORM in _claim_page(client, claim)

    with django_capture_on_commit_callbacks(execute=True):
        reporter.groups.remove(Group.objects.get(name="editor"))
    assert RULING_FORM not in _claim_page(client, claim)


def test_a_permission_taken_from_a_group_is_gone_on_the_next_request(
    client, editor, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    client.force_login(editor)
    assert RULING_FORM in _claim_page(client, claim)

    ruling = Permission.objects.get(codename="set_claim_status")
    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.get(name="editor").permissions.remove(ruling)
    assert RULING_FORM not in _claim_page(client, claim)
    response = client.post(
        f"/claims/{claim.pk}/status/",
        {"status": "in_review", "rationale": "", "version": claim.version},
    )
    assert response.status_code == 403


def test_a_deactivated_user_loses_the_desk_at_once(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    assert RULING_FORM in _claim_page(client, claim)
    editor.is_active = False
    editor.save(update_fields=["is_active"])
    response = client.get(f"/claims/{claim.pk}/")
    assert response.status_code in (302, 403)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _caches_at(location: str) -> dict:
    """Both cache aliases as settings configure them for Redis, at another location."""
    options = {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
    redis = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": location}
    return {
        "default": {**redis, "OPTIONS": {**options, "IGNORE_EXCEPTIONS": True}},
        "strict": {**redis, "OPTIONS": {**options, "IGNORE_EXCEPTIONS": False}},
    }


def test_a_role_change_that_cannot_reach_the_cache_fails_and_changes_nothing(
    reporter, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = _caches_at(f"redis://127.0.0.1:{_closed_port()}/0")

    with pytest.raises(PermissionCacheUnreachable, match="was not made"):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            reporter.groups.add(Group.objects.get(name="editor"))

    assert list(reporter.groups.values_list("name", flat=True)) == ["reporter"]


@pytest.mark.redis
def test_a_role_taken_away_while_redis_is_unreachable_leaves_no_stale_permissions(
    client, editor, settings, django_capture_on_commit_callbacks
):
    claim = ClaimFactory()
    client.force_login(editor)
    assert RULING_FORM in _claim_page(client, claim)  # cached in Redis
    reachable = settings.CACHES
    settings.CACHES = _caches_at(f"redis://127.0.0.1:{_closed_port()}/0")

    with pytest.raises(PermissionCacheUnreachable):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            editor.groups.remove(Group.objects.get(name="editor"))

    settings.CACHES = reachable
    still_editor = editor.groups.filter(name="editor").exists()
    assert still_editor
    assert (RULING_FORM in _claim_page(client, claim)) == still_editor
