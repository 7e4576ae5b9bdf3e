"""Behind a trusted reverse proxy, log-in is throttled per client, not per proxy.

A real gunicorn started with CLAIMDESK_TRUSTED_PROXIES=1, as a deployment behind one proxy
would be: every request reaches it from the same loopback address, and only the header
the proxy sets tells the clients apart.
"""

import subprocess
import sys

import pytest

from tests.hardening.server import ROOT, Browser, gunicorn

SECRET = "proxy-test-key-" + "pr0xy" * 10
PASSWORD = "demo-password-for-the-proxy-test"


@pytest.fixture(scope="module")
def behind_one_proxy(tmp_path_factory):
    home = tmp_path_factory.mktemp("proxy")
    env = {
        "SECRET_KEY": SECRET,
        "SQLITE_PATH": str(home / "db.sqlite3"),
        "CLAIMDESK_TRUSTED_PROXIES": "1",
        "CLAIMDESK_DEMO_PASSWORD": PASSWORD,
    }
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    with gunicorn(env) as base:
        yield base


def _client(base: str, forwarded_for: str) -> Browser:
    browser = Browser(base, headers={"X-Forwarded-For": forwarded_for})
    browser.request("/login/")
    return browser


def _log_in(browser: Browser, username: str, password: str) -> int:
    status, _, _ = browser.request("/login/", {"username": username, "password": password})
    return status


def test_a_client_locked_out_behind_the_proxy_locks_out_no_other_client(behind_one_proxy):
    attacker = _client(behind_one_proxy, "203.0.113.66")
    statuses = [_log_in(attacker, "editor", "wrong") for _ in range(5)]
    journalist = _client(behind_one_proxy, "203.0.113.7")

    status, page, _ = journalist.request("/login/", {"username": "editor", "password": PASSWORD})

    assert statuses == [200, 200, 200, 200, 429]
    assert not attacker.cookie("sessionid")
    assert status == 200 and "Log-in temporarily locked" not in page
    assert journalist.cookie("sessionid")


def test_an_address_forged_through_the_proxy_dodges_no_lock(behind_one_proxy):
    # The client sends an address of its own each time; the proxy appends the real one.
    forged = [_client(behind_one_proxy, f"192.0.2.{n}, 203.0.113.66") for n in range(5)]
    statuses = [_log_in(attacker, "reporter", "wrong") for attacker in forged]
    journalist = _client(behind_one_proxy, "203.0.113.7")

    status, page, _ = journalist.request("/login/", {"username": "reporter", "password": PASSWORD})

    assert statuses == [200, 200, 200, 200, 429]
    assert status == 200 and "Log-in temporarily locked" not in page
    assert journalist.cookie("sessionid")
