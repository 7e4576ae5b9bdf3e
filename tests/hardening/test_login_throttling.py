"""Log-in is throttled by django-axes: repeated failures lock it, the cool-off lifts the lock."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from tests.support.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _log_in(client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def _fail_until_locked(client, username: str) -> list[int]:
    return [_log_in(client, username, "wrong password").status_code for _ in range(5)]


def test_five_failed_log_ins_lock_out_even_the_right_password(client, editor):
    statuses = _fail_until_locked(client, editor.username)

    response = _log_in(client, editor.username, PASSWORD)

    assert settings.AXES_FAILURE_LIMIT == 5
    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    assert "Log-in temporarily locked" in response.text
    assert "_auth_user_id" not in client.session


def test_lockout_page_escapes_the_username_it_repeats(client, editor):
    hostile = '<script>alert("x")</script>'
    statuses = [_log_in(client, hostile, "nope").status_code for _ in range(5)]

    assert statuses[-1] == 429
    response = _log_in(client, hostile, "nope")
    assert "&lt;script&gt;" in response.text
    assert hostile not in response.text


def test_log_in_works_again_after_the_cool_off(client, editor):
    _fail_until_locked(client, editor.username)
    # The attempts age past the cool-off, as if fifteen minutes went by.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = _log_in(client, editor.username, PASSWORD)

    assert response.status_code == 302
    assert response.headers["Location"] == settings.LOGIN_REDIRECT_URL
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_moderator_can_lift_the_lock_by_resetting_the_username(client, editor):
    _fail_until_locked(client, editor.username)

    call_command("axes_reset_username", editor.username, verbosity=0)
    response = _log_in(client, editor.username, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_lockout_holds_for_one_account_without_locking_out_others(client, editor, reporter):
    _fail_until_locked(client, editor.username)

    response = _log_in(client, reporter.username, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(reporter.pk)
