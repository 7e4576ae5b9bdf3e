"""DJANGO_ENV=production: the deploy check passes and a real gunicorn serves hardened pages."""

import json
import re
import subprocess
import sys

import pytest

from tests.hardening.server import ROOT, Browser, gunicorn

SECRET = "production-test-key-" + "k3y" * 20


@pytest.fixture(scope="module")
def production_env(tmp_path_factory) -> dict[str, str]:
    """Production settings with their own static root and throwaway SQLite file."""
    home = tmp_path_factory.mktemp("production")
    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(home / "static"),
        "SQLITE_PATH": str(home / "db.sqlite3"),
        "PATH": "/usr/bin:/bin",
    }


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_at_warning_level_under_production_settings(production_env):
    result = _manage(production_env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_turn_every_hardening_switch_on(production_env):
    names = [
        "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
    ]  # fmt: skip
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**production_env, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    values = json.loads(result.stdout)
    assert values["DEBUG"] is False  # even when DEBUG=1 leaks into the environment
    assert all(values[n] is True for n in names if "COOKIE" in n or n.endswith("REDIRECT"))
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"


@pytest.fixture(scope="module")
def production_server(production_env):
    collected = _manage(production_env, "collectstatic", "--noinput")
    assert collected.returncode == 0, collected.stderr
    with gunicorn(production_env) as base:
        yield base


def test_plain_http_is_redirected_to_https(production_server):
    browser = Browser(production_server)
    browser.opener = _no_redirects()

    status, _, headers = browser.request("/login/")

    assert status == 301
    assert headers["Location"].startswith("https://")


def test_pages_behind_the_proxy_carry_the_security_headers(production_server):
    browser = Browser(production_server, headers={"X-Forwarded-Proto": "https"})

    status, page, headers = browser.request("/login/")

    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    csrf_cookie = next(c for c in browser.jar if c.name == "csrftoken")
    assert csrf_cookie.secure and csrf_cookie.has_nonstandard_attr("HttpOnly")
    assert '"allowEval": false' in page and '"allowScriptTags": false' in page
    assert "<script>" not in page and "style=" not in page


def test_static_files_are_served_hashed_and_cacheable_by_whitenoise(production_server):
    browser = Browser(production_server, headers={"X-Forwarded-Proto": "https"})
    _, page, _ = browser.request("/login/")
    stylesheet = re.search(r'href="(/static/css/claimdesk\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the stylesheet link should carry a content hash"

    status, css, headers = browser.request(stylesheet.group(1))

    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    assert headers["Content-Type"].startswith("text/css")
    assert css.strip()


def test_unknown_pages_get_a_plain_404_without_debug_details(production_server):
    browser = Browser(production_server, headers={"X-Forwarded-Proto": "https"})

    status, page, _ = browser.request("/no-such-page/")

    assert status == 404
    assert "URLconf" not in page and "Traceback" not in page


def _no_redirects():
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(NoRedirect)
