"""Tests for evidence capture: SSRF policy, redirects, limits and text extraction.

Every network exchange goes to a server on 127.0.0.1 started here; names are resolved by fake
resolvers, and guards fail any test that resolves a real name or connects anywhere else.
"""

from __future__ import annotations

import gzip
import hashlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.lib.capture import BlockedAddress, Snapshot, check_address, fetch_snapshot
from tests.support.background import task_time_limit
from tests.support.receivers import SlowHeaderServer

ARTICLE_TITLE = "Reservoir levels fall sharply, authority says"
ARTICLE_PARAGRAPH = (
    "The regional water authority said on Tuesday that the reservoir level had fallen by "
    "twelve percent since March, according to its latest bulletin."
)
ARTICLE_HTML = (
    f"<!doctype html><html><head><meta charset='utf-8'><title>{ARTICLE_TITLE}</title></head>"
    "<body><nav>Home | News</nav><article><h1>Reservoir levels fall</h1>"
    f"<p>{ARTICLE_PARAGRAPH}</p>"
    "<p>Officials urged households to limit garden watering until the autumn rains arrive, "
    "and said a hosepipe ban remained possible if the dry weather continued.</p>"
    "<p>Farmers in the valley reported that irrigation quotas had already been cut twice "
    "this season, with further reductions expected next month.</p>"
    "</article></body></html>"
).encode()
PLAIN_BODY = b"Statement from the ministry.\nFigures are provisional.\n"
HUGE_SIZE = 50 * 1024 * 1024
STREAM_CHUNK = b"x" * 65536


# --- local server ---------------------------------------------------------------------------


class EvidenceServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), EvidenceHandler)
        self.paths: list[str] = []
        self.huge_sent = 0
        self.huge_done = threading.Event()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class EvidenceHandler(BaseHTTPRequestHandler):
    server: EvidenceServer

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output quiet

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        routes: dict[str, Callable[[], None]] = {
            "/article": lambda: self.send_body(ARTICLE_HTML, "text/html; charset=utf-8"),
            "/plain": lambda: self.send_body(PLAIN_BODY, "text/plain"),
            "/latin1": lambda: self.send_body(
                "Un café, s'il vous plaît".encode("latin-1"), "text/plain; charset=iso-8859-1"
            ),
            "/bogus-charset": lambda: self.send_body(
                b"<p>caf\xe9 \xff</p>", "text/html; charset=no-such-charset"
            ),
            "/gzip": lambda: self.send_body(
                gzip.compress(PLAIN_BODY), "text/plain", {"Content-Encoding": "gzip"}
            ),
            "/gzip-bomb": lambda: self.send_body(
                gzip.compress(bytes(HUGE_SIZE)), "text/plain", {"Content-Encoding": "gzip"}
            ),
            "/error": lambda: self.send_body(b"boom", "text/plain", status=500),
            "/missing": lambda: self.send_body(b"nope", "text/plain", status=404),
            "/to-internal": lambda: self.redirect("http://internal.example/admin"),
            "/to-file": lambda: self.redirect("file:///etc/passwd"),
            "/to-name": lambda: self.redirect(f"http://news.test:{self.server.server_port}/host"),
            "/no-location": lambda: self.send_body(b"", "text/plain", status=302),
            "/host": lambda: self.send_body(self.headers["Host"].encode(), "text/plain"),
            "/slow": self.slow,
            "/drip": self.drip,
            "/huge": self.huge,
            "/huge-declared": self.huge_declared,
        }
        if self.path.startswith("/hops/"):
            self.hop(int(self.path.rsplit("/", 1)[1]))
        elif self.path in routes:
            routes[self.path]()
        else:
            self.send_body(b"not found", "text/plain", status=404)

    def send_body(
        self,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
        status: int = 200,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def hop(self, remaining: int) -> None:
        if remaining == 0:
            self.send_body(ARTICLE_HTML, "text/html; charset=utf-8")
        else:
            self.redirect(f"/hops/{remaining - 1}")  # relative, as many sites send them

    def slow(self) -> None:
        time.sleep(2)
        self.send_body(b"too late", "text/plain")

    def drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            for _ in range(50):
                self.wfile.write(b".")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    def huge(self) -> None:
        # No Content-Length: the client can only find out the size by reading.
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.stream_lazily()

    def huge_declared(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(HUGE_SIZE))
        self.end_headers()
        self.stream_lazily()

    def stream_lazily(self) -> None:
        sent = 0
        try:
            while sent < HUGE_SIZE:
                self.wfile.write(STREAM_CHUNK)
                sent += len(STREAM_CHUNK)
        except OSError:
            pass
        finally:
            self.server.huge_sent = sent
            self.server.huge_done.set()


@pytest.fixture(scope="module")
def server() -> Iterator[EvidenceServer]:
    httpd = EvidenceServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


# --- network guards -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Replace the suite-wide cache reset: capture never uses the cache and needs no Django."""


@pytest.fixture(autouse=True)
def only_local_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test on any real name lookup or any connection beyond 127.0.0.1."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def numeric_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        ipaddress.ip_address(str(host))  # raises for names: tests resolve names themselves
        return real_getaddrinfo(host, *args, **kwargs)

    def local_connect(sock: socket.socket, address: tuple) -> None:
        if address[0] != "127.0.0.1":
            raise AssertionError(f"test tried to connect to {address!r}")
        real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", numeric_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", local_connect)


def fake_resolver(table: dict[str, list[str]]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


LOCAL_NAMES = fake_resolver({"news.test": ["127.0.0.1"], "internal.example": ["10.0.0.5"]})


def fetch_local(url: str, **kwargs: object) -> Snapshot:
    kwargs.setdefault("resolver", LOCAL_NAMES)
    return fetch_snapshot(url, allow_loopback=True, **kwargs)  # type: ignore[arg-type]


# --- successful captures --------------------------------------------------------------------


def test_article_is_captured_with_title_text_and_hash(server: EvidenceServer) -> None:
    before = datetime.now(UTC)
    snap = fetch_local(f"{server.base}/article")

    assert snap.ok, snap.error
    assert snap.error == ""
    assert snap.http_status == 200
    assert snap.final_url == f"{server.base}/article"
    assert snap.content_type == "text/html; charset=utf-8"
    assert snap.sha256 == hashlib.sha256(ARTICLE_HTML).hexdigest()
    assert snap.title == ARTICLE_TITLE
    assert ARTICLE_PARAGRAPH in snap.text
    assert "Home | News" not in snap.text
    assert snap.fetched_at.tzinfo is not None
    assert snap.fetched_at.utcoffset() == timedelta(0)
    assert before <= snap.fetched_at <= datetime.now(UTC)


def test_plain_text_body_is_kept_as_is(server: EvidenceServer) -> None:
    snap = fetch_local(f"{server.base}/plain")

    assert snap.ok, snap.error
    assert snap.text == PLAIN_BODY.decode()
    assert snap.title == ""
    assert snap.sha256 == hashlib.sha256(PLAIN_BODY).hexdigest()


def test_body_is_decoded_with_the_response_charset(server: EvidenceServer) -> None:
    snap = fetch_local(f"{server.base}/latin1")

    assert snap.ok, snap.error
    assert snap.text == "Un café, s'il vous plaît"


def test_unknown_charset_falls_back_to_utf8_with_replacement(server: EvidenceServer) -> None:
    snap = fetch_local(f"{server.base}/bogus-charset")

    assert snap.ok, snap.error
    assert "caf\ufffd" in snap.text


def test_gzip_body_is_decoded_and_hashed_decoded(server: EvidenceServer) -> None:
    snap = fetch_local(f"{server.base}/gzip")

    assert snap.ok, snap.error
    assert snap.text == PLAIN_BODY.decode()
    assert snap.sha256 == hashlib.sha256(PLAIN_BODY).hexdigest()


def test_fallback_extraction_when_trafilatura_finds_nothing(
    server: EvidenceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "claims.lib.capture.content.trafilatura.extract", lambda *args, **kwargs: None
    )

    snap = fetch_local(f"{server.base}/article")

    assert snap.ok, snap.error
    assert snap.title == ARTICLE_TITLE
    assert snap.text.startswith(ARTICLE_TITLE)
    assert ARTICLE_PARAGRAPH in snap.text


# --- redirects ------------------------------------------------------------------------------


@pytest.mark.parametrize("hops", [1, 5])
def test_redirects_are_followed_up_to_the_limit(server: EvidenceServer, hops: int) -> None:
    snap = fetch_local(f"{server.base}/hops/{hops}")

    assert snap.ok, snap.error
    assert snap.final_url == f"{server.base}/hops/0"
    assert snap.http_status == 200
    assert ARTICLE_PARAGRAPH in snap.text


def test_too_many_redirects(server: EvidenceServer) -> None:
    snap = fetch_local(f"{server.base}/hops/6")

    assert not snap.ok
    assert snap.error == "too many redirects (max 5)"
    assert snap.sha256 == ""


def test_redirect_limit_is_configurable(server: EvidenceServer) -> None:
    snap = fetch_local(f"{server.base}/hops/1", max_redirects=0)

    assert snap.error == "too many redirects (max 0)"


def test_redirect_to_private_address_is_blocked(server: EvidenceServer) -> None:
    # allow_loopback admits the local server, but never a private network behind it.
    snap = fetch_local(f"{server.base}/to-internal")

    assert not snap.ok
    assert snap.error == ("blocked: 10.0.0.5 is a private address (resolved from internal.example)")
    assert snap.final_url == "http://internal.example/admin"
    assert snap.text == ""


def test_redirect_to_file_scheme_is_refused(server: EvidenceServer) -> None:
    snap = fetch_local(f"{server.base}/to-file")

    assert not snap.ok
    assert snap.error.startswith("unsupported scheme 'file'")


def test_redirect_without_location_is_an_error(server: EvidenceServer) -> None:
    snap = fetch_local(f"{server.base}/no-location")

    assert not snap.ok
    assert "without a Location" in snap.error
    assert snap.http_status == 302


def test_name_is_resolved_once_and_sent_as_host_header(server: EvidenceServer) -> None:
    # A second lookup would answer with a private address, as a DNS-rebinding attacker would.
    answers = iter([["127.0.0.1"], ["10.0.0.5"]])
    calls: list[str] = []

    def rebinding_resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    snap = fetch_local(f"{server.base}/to-name", resolver=rebinding_resolver)

    assert snap.ok, snap.error
    assert calls == ["news.test"]
    assert snap.text == f"news.test:{server.server_port}"
    assert snap.final_url == f"http://news.test:{server.server_port}/host"


# --- failures -------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "status"), [("/error", 500), ("/missing", 404)])
def test_http_error_status_is_recorded(server: EvidenceServer, path: str, status: int) -> None:
    snap = fetch_local(f"{server.base}{path}")

    assert not snap.ok
    assert snap.error == f"HTTP {status}"
    assert snap.http_status == status
    assert snap.sha256 == ""


@pytest.mark.parametrize("path", ["/slow", "/drip"])
def test_slow_responses_time_out(server: EvidenceServer, path: str) -> None:
    started = time.monotonic()
    snap = fetch_local(f"{server.base}{path}", timeout=0.5)

    assert not snap.ok
    assert snap.error == "timeout after 0.5s"
    assert time.monotonic() - started < 1.5


def test_headers_dripped_a_byte_at_a_time_time_out(slow_server: SlowHeaderServer) -> None:
    # Each byte comes well within a per-read timeout; the whole head takes ten seconds, and
    # the capture's task would be cut off after three.
    with task_time_limit(3):
        snap = fetch_local(f"{slow_server.base}/statement", timeout=1)

    assert not snap.ok
    assert snap.error == "timeout after 1s"
    assert snap.text == ""


def test_streamed_huge_body_stops_early(server: EvidenceServer) -> None:
    server.huge_done.clear()
    snap = fetch_local(f"{server.base}/huge")

    assert not snap.ok
    assert snap.error == "too large: over 5 MB"
    assert snap.http_status == 200
    assert server.huge_done.wait(10)
    assert server.huge_sent < HUGE_SIZE // 2


def test_declared_huge_body_is_refused_before_reading(server: EvidenceServer) -> None:
    server.huge_done.clear()
    snap = fetch_local(f"{server.base}/huge-declared")

    assert snap.error == "too large: over 5 MB"
    assert server.huge_done.wait(10)
    assert server.huge_sent < HUGE_SIZE // 2


def test_compressed_bomb_is_stopped(server: EvidenceServer) -> None:
    snap = fetch_local(f"{server.base}/gzip-bomb")

    assert snap.error == "too large: over 5 MB"


def test_small_size_limit(server: EvidenceServer) -> None:
    snap = fetch_local(f"{server.base}/article", max_bytes=100)

    assert snap.error == "too large: over 100 bytes"


def test_connection_refused_is_reported() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    snap = fetch_local(f"http://127.0.0.1:{port}/")

    assert not snap.ok
    assert snap.error.startswith("connection failed:")
    assert "refused" in snap.error.lower()


def test_bad_tls_is_reported(server: EvidenceServer) -> None:
    snap = fetch_local(f"https://127.0.0.1:{server.server_port}/article")

    assert not snap.ok
    assert snap.error.startswith("TLS error:")


def test_unresolvable_name_is_reported() -> None:
    snap = fetch_local("http://nowhere.test/")

    assert not snap.ok
    assert snap.error.startswith("could not resolve nowhere.test")


def test_loopback_server_is_blocked_by_default(server: EvidenceServer) -> None:
    seen = len(server.paths)
    snap = fetch_snapshot(f"{server.base}/article")

    assert snap.error == "blocked: 127.0.0.1 is a loopback address"
    assert len(server.paths) == seen


# --- hostile URLs ---------------------------------------------------------------------------

HOSTILE_NAMES = fake_resolver(
    {
        "localhost": ["127.0.0.1", "::1"],
        "intranet.example": ["10.1.2.3"],
        "mixed.example": ["8.8.8.8", "10.0.0.7"],
        "mapped.example": ["::ffff:10.0.0.1"],
    }
)

HOSTILE_URLS = [
    ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://localhost/", "127.0.0.1 is a loopback address (resolved from localhost)"),
    ("http://localhost./", "loopback"),
    ("http://2130706433/", "127.0.0.1 is a loopback address"),
    ("http://0x7f000001/", "127.0.0.1 is a loopback address"),
    ("http://0177.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://017700000001/", "127.0.0.1 is a loopback address"),
    ("http://0x7f.1/", "127.0.0.1 is a loopback address"),
    ("http://127.1/", "127.0.0.1 is a loopback address"),
    ("http://127.0.0.1:8080/admin", "127.0.0.1 is a loopback address"),
    ("https://127.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://[::1]/", "::1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "IPv4-mapped form of 127.0.0.1, which is a loopback"),
    ("http://[::ffff:7f00:1]/", "IPv4-mapped form of 127.0.0.1, which is a loopback"),
    ("http://[::7f00:1]/", "IPv4-compatible form of 127.0.0.1"),
    ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
    ("http://[::]/", ":: is an unspecified address"),
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://172.16.5.4/", "172.16.5.4 is a private address"),
    ("http://192.168.1.1/", "192.168.1.1 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://100.64.0.1/", "100.64.0.1 is a shared (CGNAT) address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://[fe80::1%25eth0]/", "link-local"),
    ("http://[fc00::1]/", "fc00::1 is a unique local address"),
    ("http://[fd12:3456::1]/", "fd12:3456::1 is a unique local address"),
    ("http://[fec0::1]/", "fec0::1 is a site-local address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://[ff02::1]/", "ff02::1 is a multicast address"),
    ("http://255.255.255.255/", "255.255.255.255 is a broadcast address"),
    ("http://240.0.0.1/", "240.0.0.1 is a"),
    ("http://192.0.2.10/", "192.0.2.10 is a private or special-purpose address"),
    ("http://[64:ff9b::7f00:1]/", "NAT64 form of 127.0.0.1, which is a loopback"),
    ("http://[2002:7f00:1::]/", "6to4 form of 127.0.0.1, which is a loopback"),
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "Teredo form of 192.0.2.45"),
    ("http://intranet.example/", "10.1.2.3 is a private address (resolved from intranet.example)"),
    ("http://mixed.example/", "10.0.0.7 is a private address (resolved from mixed.example)"),
    ("http://mapped.example/", "IPv4-mapped form of 10.0.0.1, which is a private address"),
    ("ftp://example.org/", "unsupported scheme 'ftp'"),
    ("file:///etc/passwd", "unsupported scheme 'file'"),
    ("javascript:alert(1)", "unsupported scheme 'javascript'"),
    ("gopher://127.0.0.1:25/", "unsupported scheme 'gopher'"),
    ("http://user@127.0.0.1/", "credentials (user@host) in URLs are not allowed"),
    ("http://trusted.example@10.0.0.1/", "credentials (user@host) in URLs are not allowed"),
    ("http://trusted.example\\@10.0.0.1/", "invalid URL"),
    ("http://256.0.0.1/", "invalid IPv4 address"),
]


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    attempts: list[object] = []

    def refuse(sock: socket.socket, address: object) -> None:
        attempts.append(address)
        raise AssertionError(f"blocked URL opened a connection to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.mark.parametrize(("url", "reason"), HOSTILE_URLS)
def test_hostile_url_is_blocked_without_connecting(
    url: str, reason: str, no_connections: list[object]
) -> None:
    snap = fetch_snapshot(url, allow_loopback=False, resolver=HOSTILE_NAMES)

    assert not snap.ok
    assert reason in snap.error
    assert snap.http_status is None
    assert snap.sha256 == ""
    assert no_connections == []


def test_enough_hostile_urls_are_covered() -> None:
    assert len(HOSTILE_URLS) >= 25


# --- address policy -------------------------------------------------------------------------


@pytest.mark.parametrize("ip", ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "2002:808:808::"])
def test_public_addresses_pass(ip: str) -> None:
    check_address(ip)


def test_allow_loopback_admits_only_loopback() -> None:
    check_address("127.0.0.1", allow_loopback=True)
    check_address("127.8.9.10", allow_loopback=True)
    check_address("::1", allow_loopback=True)
    for ip in ["10.0.0.1", "169.254.169.254", "::ffff:127.0.0.1", "0.0.0.0", "fc00::1"]:
        with pytest.raises(BlockedAddress):
            check_address(ip, allow_loopback=True)


def test_non_address_is_blocked() -> None:
    with pytest.raises(BlockedAddress, match="not an IP address"):
        check_address("localhost")


SPECIAL_NETWORKS = [
    "127.0.0.0/8",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "169.254.0.0/16",
    "100.64.0.0/10",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "0.0.0.0/8",
    "::1/128",
    "::/96",
    "::ffff:0:0/96",
    "64:ff9b::/96",
    "2002::/16",
    "2001::/32",
    "fe80::/10",
    "fec0::/10",
    "fc00::/7",
    "ff00::/8",
]

any_address = st.one_of(
    st.ip_addresses(),
    st.sampled_from(SPECIAL_NETWORKS).flatmap(lambda net: st.ip_addresses(network=net)),
)


def _embedded(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if address.teredo:
        return address.teredo[1]
    return None


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Independent statement of the policy in terms of ipaddress properties."""
    if not address.is_global or address.is_multicast or address.is_reserved:
        return False
    if address.version == 6:
        if address.is_site_local:
            return False
        embedded = _embedded(address)
        if embedded is not None and not _is_public(embedded):
            return False
    return True


def _blocked_reason(address: object, allow_loopback: bool = False) -> str | None:
    try:
        check_address(str(address), allow_loopback=allow_loopback)
    except BlockedAddress as exc:
        return str(exc)
    return None


@given(any_address)
def test_check_address_agrees_with_ipaddress_categories(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    reason = _blocked_reason(address)

    if address.is_loopback:
        assert reason is not None and "loopback" in reason
    elif address.is_link_local:
        assert reason is not None and "link-local" in reason
    elif address.is_multicast:
        assert reason is not None and "multicast" in reason
    if address.is_private:
        assert reason is not None
    assert (reason is None) == _is_public(address), reason


@given(any_address)
def test_allow_loopback_changes_only_loopback(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    plain_loopback = address in ipaddress.ip_network("127.0.0.0/8") or str(address) == "::1"
    with_flag = _blocked_reason(address, allow_loopback=True)

    if plain_loopback:
        assert with_flag is None
    else:
        assert (with_flag is None) == (_blocked_reason(address) is None)
