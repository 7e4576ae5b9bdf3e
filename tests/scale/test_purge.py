"""Through Varnish: pages are served from the cache until a ruling on server A purges them,
and the reader then gets the new verdict on the claim page, the story page and the feeds.
The time from the ruling's answer to each fresh page is printed and written to
bench-results/scale-purge.json (a measurement, not an assertion)."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.scale.conftest import (
    REPLICA_URL,
    RESULTS,
    VARNISH,
    replicated,
    sql,
    verdict_of,
    wait_for,
)

pytestmark = pytest.mark.scale


def feed_has_verdict(body: str, claim_id: int, status: str) -> bool:
    items = json.loads(body).get("items", [])
    return any(
        item.get("_claimdesk", {}).get("claim_id") == claim_id
        and item["_claimdesk"].get("new_status") == status
        for item in items
    )


def fresh_after(path: str, is_fresh, since: float) -> float | None:
    """Seconds from ``since`` until a reader through Varnish gets the fresh page (≤ 5 s)."""
    with httpx.Client(base_url=VARNISH, timeout=10) as reader:
        while time.monotonic() - since < 5:
            response = reader.get(path)
            if response.status_code == 200 and is_fresh(response.text):
                return round(time.monotonic() - since, 4)
            time.sleep(0.02)
    return None


def test_a_ruling_on_server_a_reaches_readers_through_varnish(desk_a):
    claim = desk_a.new_public_claim("The stadium seats 80,000")
    assert replicated(claim)
    fresh = {
        "claim page": (claim.path, lambda body: verdict_of(body) == "false"),
        "story page": (f"/s/{claim.story}/", lambda body: 'class="badge false"' in body),
        "status feed": ("/feeds/status.json", lambda b: feed_has_verdict(b, claim.id, "false")),
        "story feed": (
            f"/stories/{claim.story}/feed.json",
            lambda body: feed_has_verdict(body, claim.id, "false"),
        ),
        "claim feed": (
            f"/claims/{claim.id}/feed.json",
            lambda body: feed_has_verdict(body, claim.id, "false"),
        ),
    }
    reader = httpx.Client(base_url=VARNISH, timeout=10)
    for name, (path, is_fresh) in fresh.items():
        reader.get(path)
        cached = reader.get(path)
        assert cached.status_code == 200, name
        assert cached.headers["X-Cache"] == "HIT", name
        assert not is_fresh(cached.text), name

    started = time.monotonic()
    desk_a.rule(claim, "false")
    answered = time.monotonic()
    with ThreadPoolExecutor(len(fresh)) as pool:  # each page watched by a reader of its own
        waits = {
            name: pool.submit(fresh_after, path, test, answered)
            for name, (path, test) in fresh.items()
        }
        seen = {name: wait.result() for name, wait in waits.items()}
    reader.close()
    assert None not in seen.values(), f"still stale after 5 s: {seen}"

    result = {
        "ruling_request_seconds": round(answered - started, 4),
        "purge_to_fresh_seconds": seen,
        "purge_to_fresh_max_seconds": max(seen.values()),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "scale-purge.json").write_text(json.dumps(result, indent=2) + "\n")
    print("\npurge-to-fresh after the ruling's answer (s):", json.dumps(result))


def test_a_purge_waits_for_the_replica_so_the_cache_never_keeps_the_old_page(desk_a):
    claim = desk_a.new_public_claim("The bridge spans 1.2 km")
    assert replicated(claim)
    reader = httpx.Client(base_url=VARNISH, timeout=10)
    reader.get(claim.path)
    assert reader.get(claim.path).headers["X-Cache"] == "HIT"
    sql(REPLICA_URL, "SELECT pg_wal_replay_pause()")
    try:
        assert wait_for(
            lambda: sql(REPLICA_URL, "SELECT pg_get_wal_replay_pause_state()")[0][0] == "paused"
        )
        desk_a.rule(claim, "false")
        # Readers keep asking while the replica lags: a purge sent now would have one of them
        # fetch the old verdict from the replica into the cache, for its s-maxage.
        during = [verdict_of(reader.get(claim.path).text) for _ in range(25)]
        assert set(during) == {"unverified"}  # the page cached before the ruling
    finally:
        sql(REPLICA_URL, "SELECT pg_wal_replay_resume()")
    resumed = time.monotonic()

    assert fresh_after(claim.path, lambda body: verdict_of(body) == "false", resumed) is not None
    reader.close()
