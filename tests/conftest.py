"""Suite-wide fixtures, and the rule for tests that need a real service.

Tests marked ``postgres``, ``redis``, ``browser`` or ``worker`` are skipped with the reason
printed when that service is not configured, and fail instead when
CLAIMDESK_REQUIRE_SERVICES=1 (as in CI), so a missing service can never pass silently.
"""

import os
import shutil

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("CLAIMDESK_REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CLAIMDESK_CHROMIUM", "/usr/bin/chromium")

# Inline Celery and a local webhook receiver, for the background-work tests.
pytest_plugins = ["tests.support.background", "tests.support.browser"]


def _missing(marker: str) -> str | None:
    if marker == "postgres" and settings.DATABASES["default"]["ENGINE"].find("postgresql") < 0:
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if marker in {"redis", "worker"} and not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL=redis://..."
    if marker == "worker" and "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        return "needs PostgreSQL for a worker in another process: set DATABASE_URL"
    if marker == "browser" and not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return "needs Chromium at /usr/bin/chromium (apt-get install chromium)"
    return None


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "worker", "browser"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing(marker)
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"CLAIMDESK_REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True, scope="session")
def _flush_past_revision_triggers():
    """Transactional tests empty every table afterwards; on SQLite Django does that with
    DELETE, which the append-only triggers refuse, so lift them for that flush only.
    (PostgreSQL flushes with TRUNCATE, which the triggers leave to the table's owner.)"""
    from django.db import connections
    from django.test import TransactionTestCase

    from claims.models import triggers as claim_triggers
    from sources import triggers as source_triggers

    original = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        sqlite = [c for c in connections.all() if c.vendor == "sqlite"]
        for connection in sqlite:
            claim_triggers.uninstall(connection)
            claim_triggers.uninstall_figure_history(connection)
            claim_triggers.uninstall_story_history(connection)
            source_triggers.uninstall(connection)
        try:
            original(self)
        finally:
            for connection in sqlite:
                claim_triggers.install(connection)
                claim_triggers.install_figure_history(connection)
                claim_triggers.install_story_history(connection)
                source_triggers.install(connection)

    TransactionTestCase._fixture_teardown = _fixture_teardown
    yield
    TransactionTestCase._fixture_teardown = original


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Password hashing is not under test; the slow hasher would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so cached pages and feeds never leak across."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def reporter(db):
    from tests.support.factories import UserFactory

    return UserFactory(username="rita", role="reporter")


@pytest.fixture
def editor(db):
    from tests.support.factories import UserFactory

    return UserFactory(username="eddie", role="editor")


@pytest.fixture
def moderator(db):
    from tests.support.factories import UserFactory

    return UserFactory(username="mona", role="moderator")


@pytest.fixture
def superuser(db):
    from tests.support.factories import UserFactory

    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def story(db, editor):
    from tests.support.factories import StoryFactory

    return StoryFactory(actor=editor)
