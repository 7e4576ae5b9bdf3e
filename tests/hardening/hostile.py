"""Hypothesis strategies for what an attacker, a broken client or a bad paste can send."""

import os
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Modest and repeatable by default: the whole suite runs twice in CI. Set
# CLAIMDESK_HYPOTHESIS_EXAMPLES=400 to explore with fresh random examples instead.
EXPLORE = int(os.environ.get("CLAIMDESK_HYPOTHESIS_EXAMPLES", "0"))
hostile_settings = settings(
    max_examples=EXPLORE or 60,
    derandomize=not EXPLORE,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

NASTY_PIECES = [
    "\x00",  # NUL
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\ufeff",  # byte-order mark
    "\ud800",  # lone surrogate (possible from a JSON body)
    "🛩️",
    "👨‍👩‍👧‍👦",
    "🇨🇦",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "ﷺ",
    "\r\n",
    "\t",
    " ",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    "'; DROP TABLE claims_claim; --",
    "%s %(x)s {0} {{ x }}",
    "../../etc/passwd",
    "63",
    "57.000001",
]

pieces = st.lists(st.sampled_from(NASTY_PIECES), max_size=8).map("".join)
huge_text = st.sampled_from([200, 201, 1000, 1001, 2000, 2001, 5000, 5001, 100_000]).map(
    lambda n: "x" * n
)
any_text = st.one_of(st.text(max_size=300), pieces, huge_text, st.text().map(lambda s: f" {s} "))
wrong_types = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**4400, max_value=10**4401),  # too long for int → str
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.just(Decimal("1e999999")),
    st.binary(max_size=30),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.tuples(st.integers()),
    st.just(object()),
)
anything = st.one_of(any_text, wrong_types)

url_like = st.one_of(
    st.sampled_from(
        [
            "https://news.example/ps752",
            "HTTPS://NEWS.EXAMPLE/PS752",
            "Http://news.example/a?b=c#d",
            "https://xn--80ak6aa92e.example/",
            "https://пример.example/путь",
            "https://news.example/" + "a" * 990,
            "https://news.example/" + "a" * 2000,
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "ftp://news.example/",
            "//news.example/",
            "https://",
            "https://news.example/\x00",
            "https://news.example/\u202e",
            "https://127.0.0.1:8000/admin/",
            " https://news.example/ ",
        ]
    ),
    st.builds(lambda s: f"https://news.example/{s}", st.text(max_size=50)),
    anything,
)
number_like = st.one_of(
    st.sampled_from(["57", "1,380", "1.5", "-3", "1e3", "NaN", "Infinity", "", " ", "٥٧", "５７"]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    anything,
)
