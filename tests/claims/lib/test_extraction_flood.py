"""A fresh live text about a flood, as a new user would paste it: every way the extractor
used to fail on it, read right."""

from datetime import date

import pytest

from claims.lib.extraction import extract

FLOOD = """\
Floods in the Varna valley: live
09:12 At least 40 people have died in the floods, the Interior Ministry said.
09:30 President Elena Dobrev said the army would be sent to the valley.
09:40 Rain continued to fall on the valley.
10:15 Correction: The Interior Ministry has revised the death toll to 31.
10:30 Mayor Ivan Petrov now says 52, not forty, homes were destroyed.
10:45 Between 30 and 35 people are missing, the Red Cross said, while police said 12 were \
injured.
11:05 The president said the dam had been inspected in May.
11:20 Engineers inspected the dam overnight, chief engineer Lena Varga said.
11:30 A senior official, speaking on condition of anonymity, accused contractors of \
sabotage at the dam.
12:00 The minister will visit the site on Friday.
"""


@pytest.fixture(scope="module")
def result() -> dict:
    return extract(FLOOD, story_date=date(2026, 3, 14), time_zone="Europe/London")


def _find(result: dict, fragment: str) -> dict:
    [found] = [c for c in result["candidates"] if fragment in c["sentence"]]
    return found


def test_the_revised_toll_is_a_correction_of_the_earlier_one_by_the_ministry(result):
    revised = _find(result, "revised the death toll to 31")
    earlier = _find(result, "At least 40 people have died")

    assert (revised["speaker"], revised["speaker_kind"]) == ("Interior Ministry", "government")
    assert revised["corrects"]["old"] == 40 and revised["corrects"]["new"] == 31
    assert revised["claim_text"] == "Interior Ministry revises the death toll to 31, from 40"
    assert "a correction" in revised["reasons"]
    [correction] = [c for c in result["conflicts"] if c["figure"] == "killed"]
    assert (correction["kind"], correction["values"]) == ("correction", [40, 31])
    assert correction["candidates"] == sorted(
        result["candidates"].index(c) for c in (earlier, revised)
    )
    assert revised["quantities"][0]["figure"] == earlier["quantities"][0]["figure"] == "killed"
    assert earlier["quantities"][0]["approximation"] == "at_least"


def test_now_says_not_forty_is_a_correction_with_the_old_value_first(result):
    homes = _find(result, "now says 52, not forty")

    assert homes["speaker"] == "Ivan Petrov"
    assert (homes["corrects"]["old"], homes["corrects"]["new"]) == (40, 52)


def test_a_range_is_one_figure_and_a_sentence_carries_two_attributions(result):
    missing = _find(result, "Between 30 and 35 people are missing")

    assert [(q["value"], q["value_high"], q["approximation"]) for q in missing["quantities"]][
        0
    ] == (30, 35, "range")
    assert [(a["speaker"], a["kind"]) for a in missing["attributions"]] == [
        ("Red Cross", "organisation"),
        ("police", "government"),
    ]


def test_titles_resolve_and_names_come_before_roles(result):
    assert _find(result, "The president said the dam")["speaker"] == "Elena Dobrev"
    assert _find(result, "Engineers inspected the dam")["speaker"] == "Lena Varga"


def test_timestamps_are_the_attributions_time_and_leave_the_words(result):
    earlier = _find(result, "At least 40 people have died")

    assert earlier["time"] == "2026-03-14T09:12:00+00:00"
    assert earlier["attributions"][0]["when"] == "2026-03-14T09:12:00+00:00"
    assert not any(c["sentence"].startswith("09:") for c in result["candidates"])
    assert earlier["quote"] == (
        "At least 40 people have died in the floods, the Interior Ministry said."
    )


def test_the_anonymous_accusation_ranks_high_and_schedule_and_colour_are_not_proposed(result):
    sabotage = _find(result, "accused contractors of sabotage")

    assert sabotage["score_label"] == "high"
    assert sabotage["speaker_kind"] == "anonymous"
    assert {"an accusation", "anonymous sourcing"} <= set(sabotage["reasons"])
    proposed = " ".join(c["sentence"] for c in result["candidates"])
    assert "will visit the site" not in proposed and "Rain continued" not in proposed


def test_an_attributed_schedule_line_is_kept_but_ranked_low():
    [line] = extract("The minister will visit the site on Friday, her office said.")["candidates"]

    assert line["score_label"] == "low" and "a schedule line" in line["reasons"]


def test_the_output_is_the_same_every_time():
    first = extract(FLOOD, story_date=date(2026, 3, 14), time_zone="Europe/London")

    assert extract(FLOOD, story_date=date(2026, 3, 14), time_zone="Europe/London") == first
