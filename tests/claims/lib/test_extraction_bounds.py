"""Extraction's cost is bounded: linear in the text, and at most 2 MB of the worst text
finishes inside the ingest task's time limit. How fast is the benchmark's business
(``manage.py bench --extraction-only``); these only check that the work finishes in time,
the way a worker's soft time limit would stop it."""

import pytest
from django.conf import settings

from claims.lib.extraction import MAX_BYTES, ExtractionError, extract
from claims.tasks import ingest_extract
from tests.support.background import task_time_limit


def _task_limit() -> float:
    """The soft time limit a worker applies to the ingest task."""
    return ingest_extract.soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT


def test_two_megabytes_of_one_sentence_of_numbers_finish_within_the_ingest_task_limit():
    # The reported case: "1 1 1 …" with no punctuation, one long sentence of numbers.
    text = "1 " * (MAX_BYTES // 2)

    with task_time_limit(_task_limit()):
        result = extract(text)

    assert result["candidates"]
    assert all(q["value"] == 1 for c in result["candidates"] for q in c["quantities"])


def test_two_megabytes_of_adversarial_text_finish_within_the_ingest_task_limit():
    from claims.lib.extraction.stress import adversarial_text

    text = adversarial_text()
    assert MAX_BYTES - 1024 < len(text.encode()) <= MAX_BYTES

    with task_time_limit(_task_limit()):
        result = extract(text)

    # The same officials giving a new toll each line revise it each time: one correction
    # per new value.
    killed = [c["new"] for c in result["conflicts"] if c["figure"] == "killed"]
    assert len(set(killed)) > 1000


def test_a_sentence_is_read_for_its_first_forty_numbers_only():
    from claims.lib.extraction.subjects import MAX_NUMBERS

    text = "Officials said " + ", ".join(f"{n} people" for n in range(1, 201)) + " were hurt."

    [candidate] = extract(text)["candidates"]

    assert [q["value"] for q in candidate["quantities"]] == list(range(1, MAX_NUMBERS + 1))
    assert candidate["speaker"] == "Officials"


def test_a_subject_named_far_before_its_figure_is_still_found():
    filler = " ".join(["while the inquiry went on and on through the long winter"] * 8)
    text = f"The number of people held, {filler}, was 57, the police said."

    [candidate] = extract(text)["candidates"]

    [figure] = candidate["quantities"]
    assert (figure["value"], figure["unit"], figure["subject"]) == (57, None, "people held")
    assert candidate["speaker"] == "police"


def test_out_of_time_extraction_stops_with_an_error_an_editor_can_act_on():
    with pytest.raises(ExtractionError, match="needs more than 0 s to analyse; split it"):
        extract("Officials said 5 people were hurt.\n" * 100, time_limit=0)


def test_a_time_limit_it_can_meet_changes_nothing():
    text = "The ministry said the death toll had been revised to 18 from 22."

    assert extract(text, time_limit=60) == extract(text)
