"""Sentences ordinary copy writes that the rules must not misread: ranges, months, years,
decimals at the start of a line, tolls that are not of the dead, plural speakers, days."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from claims.lib.extraction import extract

ROOT = Path(__file__).resolve().parents[3]


def _figures(text: str) -> list[tuple]:
    [candidate] = extract(text)["candidates"]
    return [(q["value"], q["value_high"], q["figure"]) for q in candidate["quantities"]]


def _corrections(text: str) -> list:
    return [(c["old"], c["new"]) for c in extract(text)["conflicts"] if c["kind"] == "correction"]


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Police said 30-35 people died.", [(30, 35, "killed")]),
        ("The village was attacked by 20 to 30 gunmen, police said.", [(20, 30, "gunmen")]),
        ("The shelters can take from 200 to 300 people, officials said.", [(200, 300, "people")]),
        ("Officials said 40 may have died.", [(40, None, "killed")]),
        ("The death toll rose to 2000, officials said.", [(2000, None, "killed")]),
        ("The quake killed 1900.", [(1900, None, "killed")]),
        ("The injury toll rose to 14, officials said.", [(14, None, "injured")]),
        ("The death toll rose to 15 overnight, police said.", [(15, None, "killed")]),
        ("1.25 million people have been displaced, the UN said.", [(1250000, None, "displaced")]),
        ("Spraying teams will work in wards 4 to 11, the council said.", []),
        ("Doctors said COVID-19 cases rose to 40.", [(40, None, "cases")]),
    ],
)
def test_what_copy_writes_is_read_as_the_figure_it_is(text, figures):
    assert _figures(text) == figures


@pytest.mark.parametrize(
    ("text", "corrections"),
    [
        ("The village was attacked by 20 to 30 gunmen, police said.", []),
        ("The agency raised the death toll by nine to 48.", [(39, 48)]),
        ("The ministry revised the death toll to between 30 and 35 from 40.", [(40, [30, 35])]),
        ("The toll rose from 40 to 52.", [(40, 52)]),
        (
            "Police said three people were arrested on Friday. "
            "Police said five people were arrested on Saturday.",
            [],
        ),
        (
            "Police said three people were arrested on Friday. "
            "Police now say five people were arrested on Friday.",
            [(3, 5)],
        ),
    ],
)
def test_a_change_is_a_correction_and_a_range_or_another_day_is_not(text, corrections):
    assert _corrections(text) == corrections


@pytest.mark.parametrize(
    ("text", "speaker", "kind", "claim"),
    [
        ("WHO said 150 cases had been confirmed.", "WHO", "organisation",
         "WHO says 150 cases had been confirmed"),
        ("Officials said 40 people died.", "Officials", "anonymous",
         "Officials say 40 people died"),
        ("US officials said 40 people died.", "US officials", "government",
         "US officials say 40 people died"),
        ("40 people have died, the minister stressed.", "minister", "person",
         "Minister says 40 people have died"),
    ],
)  # fmt: skip
def test_speakers_and_the_claim_text_read_as_a_desk_writes_them(text, speaker, kind, claim):
    [candidate] = extract(text)["candidates"]

    assert (candidate["speaker"], candidate["speaker_kind"]) == (speaker, kind)
    assert candidate["claim_text"] == claim


def test_a_zone_named_after_the_time_is_read_by_its_offset():
    result = extract(
        "09:00 EST Officials said 12 people were hurt.",
        story_date=date(2026, 3, 14),
        time_zone=ZoneInfo("Europe/London"),
    )

    assert result["candidates"][0]["time"] == "2026-03-14T14:00:00+00:00"


def test_the_output_does_not_depend_on_the_interpreters_hash_seed():
    text = (ROOT / "tests/data/extraction/37-koharan-floods-liveblog.txt").read_text()
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]);"
        "from claims.lib.extraction import extract;"
        "print(json.dumps(extract(sys.stdin.read()), sort_keys=True))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(ROOT)],
            input=text, capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }  # fmt: skip

    assert len(outputs) == 1
    assert json.loads(outputs.pop())["conflicts"]
