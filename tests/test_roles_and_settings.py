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


def _settings_in_subprocess(env: dict, expression: str) -> str:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        f"django.setup(); from django.conf import settings as s; print({expression})"
    )
    clean = {"PATH": "/usr/bin:/bin", **env}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
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
