"""Playwright against the live test server: one Chromium for the whole run, shared by every
browser test (two sync Playwright sessions cannot live in one process).

The live server needs committed data (``transactional_db``).
"""

import os

import pytest

from claims.access import ensure_roles
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


@pytest.fixture
def desk_server(transactional_db, live_server):
    # tests/conftest.py lets the flush after each test past the revision triggers, and the
    # factories recreate the role groups the flush removes.
    ensure_roles()
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
