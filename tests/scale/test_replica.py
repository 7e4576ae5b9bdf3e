"""The database router on the running stack: anonymous public reads from the replica, the desk
and every read right after a write from the primary, and the primary alone when the replica
is down. The app servers are asked directly (no Varnish) so every answer is rendered now."""

import re
import subprocess

import httpx
import pytest

from tests.scale.conftest import (
    APP_A,
    APP_B,
    PRIMARY_URL,
    REPLICA_URL,
    replicated,
    sql,
    verdict_of,
    wait_for,
)

pytestmark = pytest.mark.scale
PG_VERSION = "15"


def anonymous_verdicts(path: str) -> set[str | None]:
    """The verdict anonymous readers get from both servers (several asks reach each worker)."""
    seen = set()
    for base in (APP_A, APP_B):
        for _ in range(4):
            response = httpx.get(base + path, timeout=10)
            assert response.status_code == 200
            seen.add(verdict_of(response.text))
    return seen


def desk_login(base: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=10)
    form = client.get("/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    done = client.post(
        "/login/",
        data={"username": "editor", "password": password, "csrfmiddlewaretoken": csrf},
        headers={"Referer": f"{base}/login/"},
    )
    assert done.status_code == 302, done.text[:500]
    return client


def test_anonymous_reads_come_from_the_replica_and_the_desk_reads_its_own_writes(desk_a):
    import os

    claim = desk_a.new_public_claim("The ferry carries 900 passengers a crossing")
    assert replicated(claim)
    editor = desk_login(APP_B, os.environ["CLAIMDESK_DEMO_PASSWORD"])
    sql(REPLICA_URL, "SELECT pg_wal_replay_pause()")
    try:
        assert wait_for(
            lambda: sql(REPLICA_URL, "SELECT pg_get_wal_replay_pause_state()")[0][0] == "paused"
        )
        desk_a.rule(claim, "false")
        on_primary = sql(PRIMARY_URL, "SELECT status FROM claims_claim WHERE id = %s", (claim.id,))
        on_replica = sql(REPLICA_URL, "SELECT status FROM claims_claim WHERE id = %s", (claim.id,))
        assert (on_primary, on_replica) == ([("false",)], [("unverified",)])

        # Anonymous readers are served what the (paused) replica holds.
        assert anonymous_verdicts(claim.path) == {"unverified"}
        # The editor who just wrote carries the read-your-writes cookie: the primary answers.
        assert "cd_wrote" in desk_a.client.cookies
        assert verdict_of(desk_a.get(claim.path).text) == "false"
        # Every desk page reads the primary, with no write of its own in this session.
        desk_page = editor.get(f"/claims/{claim.id}/")
        assert desk_page.status_code == 200
        assert 'class="badge false"' in desk_page.text
        assert desk_a.get(f"/api/v1/claims/{claim.id}").json()["status"] == "false"
    finally:
        sql(REPLICA_URL, "SELECT pg_wal_replay_resume()")
        editor.close()
    # Replayed, the replica serves the verdict too.
    assert wait_for(lambda: anonymous_verdicts(claim.path) == {"false"})


def replica_cluster(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "replica", action, "-m", "fast"]
        if action == "stop"
        else ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "replica", action],
        check=True,
        capture_output=True,
    )


def test_with_the_replica_stopped_public_pages_come_from_the_primary(desk_a):
    claim = desk_a.new_public_claim("The tunnel is 12 km long")
    desk_a.rule(claim, "false")
    assert replicated(claim)
    paths = [
        claim.path,
        f"/s/{claim.story}/",
        "/feeds/status.json",
        f"/claims/{claim.id}/feed.json",
    ]
    replica_cluster("stop")
    try:
        for round_ in range(3):
            for base in (APP_A, APP_B):
                for path in paths:
                    response = httpx.get(base + path, timeout=10)
                    assert response.status_code == 200, (round_, base, path, response.text[:300])
        assert anonymous_verdicts(claim.path) == {"false"}
        # Written while the replica is away: readers get it from the primary.
        desk_a.rule(claim, "misleading")
        desk_a.client.cookies.clear()
        assert anonymous_verdicts(claim.path) == {"misleading"}
    finally:
        replica_cluster("start")
    assert replicated(claim)
