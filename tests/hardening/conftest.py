"""Helpers for the hardening suite: many threads at once against committed data."""

import threading
import time
from collections.abc import Callable

from django.db import connections


def run_in_threads(
    count: int, work: Callable[[int], object], *, timeout: float = 60
) -> tuple[list, list[BaseException], int]:
    """Start ``count`` threads together; return their results, their errors and how many hung.

    Every thread closes its own database connection, so none is left open on the server.
    """
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
