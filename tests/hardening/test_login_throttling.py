"""Log-in is throttled by django-axes: repeated failures lock it, the cool-off lifts the lock.

Failures count per username at an address, and per address across usernames; the address is
REMOTE_ADDR unless settings trust a proxy (test_login_behind_proxy.py).
"""

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


def _log_in_from(client, address: str, username: str, password: str, **headers):
    return client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


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


def test_spraying_many_usernames_from_one_address_locks_that_address_out(client, editor):
    statuses = [_log_in(client, f"user{n}", "Summer2024!").status_code for n in range(40)]

    response = _log_in(client, editor.username, PASSWORD)

    assert settings.CLAIMDESK_ADDRESS_FAILURE_LIMIT == 20
    assert statuses[:19] == [200] * 19
    assert set(statuses[19:]) == {429}
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_address_locked_out_for_spraying_locks_out_no_other_address(client, editor):
    for n in range(20):
        _log_in_from(client, "198.51.100.1", f"user{n}", "Summer2024!")

    response = _log_in_from(client, "198.51.100.2", editor.username, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_success_does_not_reset_the_count_of_its_address(client, editor, reporter):
    for n in range(19):
        _log_in_from(client, "198.51.100.1", f"user{n}", "Summer2024!")
    assert _log_in_from(client, "198.51.100.1", reporter.username, PASSWORD).status_code == 302
    client.logout()

    response = _log_in_from(client, "198.51.100.1", "user19", "Summer2024!")

    assert response.status_code == 429


def test_a_username_locked_out_from_one_address_still_logs_in_from_another(client, editor):
    statuses = [
        _log_in_from(client, "198.51.100.1", editor.username, "wrong").status_code for _ in range(5)
    ]

    response = _log_in_from(client, "198.51.100.2", editor.username, PASSWORD)

    assert statuses[-1] == 429
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, editor):
    statuses = [
        _log_in_from(
            client, "198.51.100.1", editor.username, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(5)
    ]

    response = _log_in_from(
        client, "198.51.100.1", editor.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )

    assert statuses[-1] == 429
    assert response.status_code == 429
