import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group


@pytest.mark.django_db
def test_roles_exist_with_their_permissions():
    perms = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }

    assert {"reporter", "editor", "moderator"} <= set(perms)
    assert "set_claim_status" in perms["editor"]
    assert "set_claim_status" not in perms["reporter"]
    assert "add_claim" in perms["reporter"]
    assert "hide_claim" in perms["moderator"]


SECRET = "settings-test-key-" + "s3cr3t" * 8


def _start(env: dict, expression: str = "None") -> subprocess.CompletedProcess:
    """Load the settings in a fresh process with only ``env``; print ``expression``."""
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        f"django.setup(); from django.conf import settings as s; print({expression})"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )


def _settings_in_subprocess(env: dict, expression: str) -> str:
    result = _start({"SECRET_KEY": SECRET, **env}, expression)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_embedded_default_is_sqlite_inline_tasks_and_local_memory_cache():
    out = _settings_in_subprocess(
        {},
        "s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.CACHES['default']['BACKEND'], s.DEBUG",
    )

    assert out == (
        "django.db.backends.sqlite3 True django.core.cache.backends.locmem.LocMemCache False"
    )


def test_database_and_redis_urls_switch_to_postgresql_and_redis():
    out = _settings_in_subprocess(
        {
            "DATABASE_URL": "postgres://u@db.internal:5432/desk",
            "REDIS_URL": "redis://cache.internal:6379/2",
        },
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['CONN_MAX_AGE'],"
        " s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND']",
    )

    assert out == (
        "django.db.backends.postgresql 600 False redis://cache.internal:6379/2 "
        "django_redis.cache.RedisCache"
    )


def test_production_refuses_to_start_without_a_secret_key():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';django.setup()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "DJANGO_ENV": "production"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_turns_on_secure_cookies_hsts_and_ssl_redirect():
    out = _settings_in_subprocess(
        {"DJANGO_ENV": "production", "SECRET_KEY": "x" * 60, "DEBUG": "1"},
        "s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER",
    )

    assert out == "False True True True True ('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"SECRET_KEY": settings.DEVELOPMENT_SECRET_KEY},
        {"SECRET_KEY": settings.DEVELOPMENT_SECRET_KEY, "DEBUG": "0"},
        {"SECRET_KEY": settings.DEVELOPMENT_SECRET_KEY, "DEBUG": "1", "DJANGO_ENV": "production"},
    ],
    ids=["no-key", "development-key", "debug-0", "production"],
)
def test_debug_off_with_the_development_key_refuses_to_start(env):
    result = _start(env)

    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: SECRET_KEY must be set to a secret value when DEBUG is off"
        in result.stderr
    )


def test_debug_on_runs_with_the_development_key_as_make_run_does():
    out = _settings_in_subprocess(
        {"DEBUG": "1", "SECRET_KEY": ""}, "s.DEBUG, s.SECRET_KEY == s.DEVELOPMENT_SECRET_KEY"
    )

    assert out == "True True"


def test_the_client_address_is_remote_addr_unless_proxies_are_trusted():
    expression = "s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.AXES_IPWARE_PROXY_COUNT"

    default = _settings_in_subprocess({}, expression)
    one = _settings_in_subprocess({"CLAIMDESK_TRUSTED_PROXIES": "1"}, expression)
    two = _settings_in_subprocess(
        {"CLAIMDESK_TRUSTED_PROXIES": "2", "CLAIMDESK_CLIENT_IP_HEADER": "X-Real-IP"}, expression
    )

    assert default == "('REMOTE_ADDR',) None"
    assert one == "('HTTP_X_FORWARDED_FOR',) 0"
    assert two == "('HTTP_X_REAL_IP',) 1"
