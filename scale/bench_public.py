"""make bench-public: a public claim page and a story page through Varnish and straight from
one gunicorn app server, side by side (wrk, 16 connections), with Varnish's hit ratio and the
purge-to-fresh time after a ruling. Runs against the stack of scale/up.sh (environment from
scale/env.sh); writes bench-results/bench-public.json and prints a table.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
VARNISH = os.environ.get("SCALE_VARNISH_URL", "http://127.0.0.1:6081")
ORIGIN = os.environ.get("SCALE_APP_URLS", "http://127.0.0.1:8001").split()[0]
SCALE_DIR = Path(os.environ.get("SCALE_DIR", "/tmp/claimdesk-scale"))
VERDICT = re.compile(r'Our verdict: <span class="badge ([a-z_]+)"')


def manage(*args: str) -> str:
    command = ". scale/env.sh && exec .venv/bin/python manage.py " + " ".join(args)
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr)
    return done.stdout.strip()


def varnish_counters() -> dict[str, int]:
    out = subprocess.run(
        ["varnishstat", "-n", str(SCALE_DIR / "varnish"), "-1", "-j"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    counters = json.loads(out)
    counters = counters.get("counters", counters)
    return {
        name: int(counters[f"MAIN.{name}"]["value"])
        for name in ("cache_hit", "cache_miss", "cache_hitpass", "cache_hitmiss")
    }


def wrk(url: str, seconds: int, connections: int) -> dict:
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-s", str(ROOT / "scale" / "wrk-report.lua"), url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


class Desk:
    def __init__(self, token: str) -> None:
        self.client = httpx.Client(
            base_url=ORIGIN, headers={"Authorization": f"Bearer {token}"}, timeout=10
        )

    def post(self, path: str, body: dict, version: int | None = None) -> dict:
        headers = {"If-Match": f'"{version}"'} if version else {}
        response = self.client.post(f"/api/v1{path}", json=body, headers=headers)
        response.raise_for_status()
        return response.json()


def purge_to_fresh(desk: Desk, story: str, runs: int) -> list[float]:
    """Rule a claim whose page is cached, and time until a reader through Varnish sees it."""
    times = []
    reader = httpx.Client(base_url=VARNISH, timeout=10)
    for run in range(runs):
        claim = desk.post("/claims", {"story": story, "text": f"Bench claim {run} {uuid.uuid4()}"})
        claim = desk.post(
            f"/claims/{claim['id']}/evidence",
            {"url": f"http://127.0.0.1:9/bench-{run}", "stance": "refutes"},
            claim["version"],
        )
        path = reader.get(f"/c/{claim['id']}/").headers["Location"]
        time.sleep(0.2)  # the replica replays the new claim
        reader.get(path)
        assert reader.get(path).headers["X-Cache"] == "HIT"
        desk.post(
            f"/claims/{claim['id']}/status",
            {"status": "false", "rationale": "Bench ruling."},
            claim["version"],
        )
        answered = time.monotonic()
        while time.monotonic() - answered < 10:
            match = VERDICT.search(reader.get(path).text)
            if match and match.group(1) == "false":
                break
            time.sleep(0.005)
        times.append(round(time.monotonic() - answered, 4))
    reader.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--purges", type=int, default=5)
    parser.add_argument("--json", default=str(ROOT / "bench-results" / "bench-public.json"))
    options = parser.parse_args()

    desk = Desk(manage("api_token_create", "--user", "editor", "--name", "bench-public",
                       "--scope", "write"))  # fmt: skip
    tag = uuid.uuid4().hex[:8]
    story = desk.post(
        "/stories", {"title": f"Bench {tag}", "slug": f"bench-{tag}", "is_public": True}
    )
    pages = {
        "claim page": httpx.get(f"{ORIGIN}/c/2/").headers["Location"],
        "story page": "/s/ps752/",
    }
    results = []
    for name, path in pages.items():
        for via, base in (("varnish", VARNISH), ("gunicorn :8001", ORIGIN)):
            for _ in range(3):
                assert httpx.get(base + path, timeout=10).status_code == 200
            before = varnish_counters()
            run = wrk(base + path, options.seconds, options.connections)
            after = varnish_counters()
            hits = after["cache_hit"] - before["cache_hit"]
            misses = after["cache_miss"] - before["cache_miss"]
            run.update(page=name, path=path, via=via)
            if via == "varnish":
                run["hit_ratio"] = round(hits / (hits + misses), 6) if hits + misses else None
                run["hits"], run["misses"] = hits, misses
            results.append(run)
            print(f"  {name} via {via}: {run['rps']:.0f} req/s, p95 {run['p95_ms']:.2f} ms",
                  flush=True)  # fmt: skip
    purges = purge_to_fresh(desk, story["slug"], options.purges)
    by = {(r["page"], r["via"]): r for r in results}
    speedup = {
        name: round(by[(name, "varnish")]["rps"] / by[(name, "gunicorn :8001")]["rps"], 1)
        for name in pages
    }
    document = {
        "connections": options.connections,
        "seconds": options.seconds,
        "cpus": os.cpu_count(),
        "runs": results,
        "speedup_varnish_over_origin": speedup,
        "purge_to_fresh_seconds": purges,
        "purge_to_fresh_median_seconds": statistics.median(purges),
        "purge_to_fresh_max_seconds": max(purges),
    }
    Path(options.json).parent.mkdir(parents=True, exist_ok=True)
    Path(options.json).write_text(json.dumps(document, indent=2) + "\n")

    print("\n| page | served by | req/s | p50 ms | p95 ms | hit ratio | errors |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in results:
        ratio = f"{r['hit_ratio']:.2%}" if r.get("hit_ratio") is not None else "–"
        print(f"| {r['page']} | {r['via']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | "
              f"{r['p95_ms']:.2f} | {ratio} | {r['errors'] + r['non_2xx']} |")  # fmt: skip
    print(f"\nthrough Varnish / origin: {speedup}")
    print(f"purge-to-fresh after a ruling (s): {purges} "
          f"(median {document['purge_to_fresh_median_seconds']}, max {max(purges)})")  # fmt: skip
    print(f"written to {options.json}")


if __name__ == "__main__":
    main()
