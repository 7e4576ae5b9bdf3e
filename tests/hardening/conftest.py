"""Fixtures for the hardening suite: committed data seen by other threads and processes."""

import threading
import time
from collections.abc import Callable

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection


@pytest.fixture
def _after_flush(django_db_blocker):
    """Once the flush has run: triggers back on, and the migrated roles back in place.

    The flush empties every table, the roles and permissions the migrations installed too;
    they are reloaded so that whichever transactional test runs next finds them.
    """
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
        serialized = getattr(connection, "_test_serialized_contents", None)
        if serialized:
            connection.creation.deserialize_db_from_string(serialized)


@pytest.fixture
def live_db(_after_flush, django_db_serialized_rollback, transactional_db):
    """Committed rows that other threads and processes can see.

    The database refuses to TRUNCATE revisions, and the flush after a transactional test
    truncates every table; replica mode switches the append-only triggers off for this one
    connection while the flush runs (``_after_flush`` restores them).
    """
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")


def run_in_threads(
    count: int, work: Callable[[int], object], *, timeout: float = 60
) -> tuple[list, list[BaseException], int]:
    """Start ``count`` threads together; return their results, their errors and how many hung.

    Every thread closes its own database connection, so none is left open on the server.
    """
    from django.db import connections

    barrier = threading.Barrier(count)
    results: list = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target(index: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            result = work(index)
            with lock:
                results.append(result)
        except BaseException as error:  # collected and asserted on by the caller
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    hung = sum(thread.is_alive() for thread in threads)
    return results, errors, hung


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """Dozens of users per test: a full-strength password hash would dominate the run time.

    The hashes stay PBKDF2, with fewer rounds, so a real server checks them as usual.
    """
    settings.PASSWORD_HASHERS = ["tests.hardening.conftest.QuickPBKDF2PasswordHasher"]


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000
