"""Playwright against the live test server.

The live server needs committed data (``transactional_db``), and a transactional test ends
by emptying every table. Revisions are append-only by database trigger, so the triggers are
lifted for these tests and put back after the flush, and the role groups the flush removes
are installed again for the tests that follow.
"""

import importlib
import os

import pytest
from django.db import connection
from django.db.models import Q

from tests.conftest import CHROMIUM

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
# tests themselves are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_append_only = importlib.import_module("claims.migrations.0002_revision_append_only_and_search")


def _install_roles() -> None:
    from django.contrib.auth.models import Group, Permission

    from claims.permissions import ROLE_PERMISSIONS

    for role, perms in ROLE_PERMISSIONS.items():
        wanted = Q(pk__in=[])
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(Permission.objects.filter(wanted))


def _revision_triggers(*, enabled: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"ALTER TABLE claims_revision {'ENABLE' if enabled else 'DISABLE'} TRIGGER USER"
            )
        elif connection.vendor == "sqlite":
            statements = _append_only.SQLITE_FORWARD if enabled else _append_only.SQLITE_BACKWARD
            for statement in statements:
                cursor.execute(
                    statement.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ")
                )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the test's fixtures are gone, and with them the flush of every table: the
    triggers go back on and the role groups are installed again for the tests that follow.
    (A fixture cannot do this: pytest-django tears transactional_db down last.)"""
    yield
    blocker = getattr(item, "_desk_db_blocker", None)
    if blocker is not None:
        with blocker.unblock():
            _revision_triggers(enabled=True)
            _install_roles()


@pytest.fixture
def desk_server(request, transactional_db, live_server, settings, django_db_blocker):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    request.node._desk_db_blocker = django_db_blocker
    _revision_triggers(enabled=False)
    _install_roles()
    return live_server


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(chromium):
    """Fresh browser contexts (separate cookies: separate people), closed after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = chromium.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
