"""The extraction evaluation: how it scores, the command, and the corpus against its floors."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.lib.extraction import extract
from claims.lib.extraction.evaluation import (
    Document,
    below_floors,
    evaluate,
    load_corpus,
)

CORPUS = Path(__file__).resolve().parents[2] / "data" / "extraction"

FLOOD = (
    "09:12 At least 40 people have died in the floods, the Interior Ministry said.\n"
    "10:15 Correction: The Interior Ministry has revised the death toll to 31.\n"
    "10:40 Twelve people are missing, the Red Cross said.\n"
)
GOLD = {
    "split": "tune",
    "story_date": "2026-03-14",
    "time_zone": "Europe/London",
    "figures": [
        {"sentence": "At least 40 people have died", "value": 40, "high": None,
         "approximation": "at_least", "unit": None, "figure": "dead"},
        {"sentence": "revised the death toll to 31", "value": 31, "high": None,
         "approximation": "exact", "unit": None, "figure": "dead"},
        {"sentence": "people are missing, the Red Cross", "value": 12, "high": None,
         "approximation": "exact", "unit": None, "figure": "missing"},
    ],
    "corrections": [{"old": 40, "new": 31, "figure": "dead"}],
    "speakers": [
        {"sentence": "At least 40 people have died", "speaker": ["Interior Ministry"],
         "kind": "government"},
        {"sentence": "revised the death toll to 31", "speaker": ["Interior Ministry"],
         "kind": "government"},
        {"sentence": "people are missing, the Red Cross", "speaker": ["Red Cross"],
         "kind": "organisation"},
    ],
    "checkworthy": [
        "At least 40 people have died",
        "revised the death toll to 31",
        "people are missing, the Red Cross",
    ],
    "times": [{"sentence": "revised the death toll to 31", "time": "2026-03-14T10:15:00+00:00"}],
}  # fmt: skip


def _candidate(sentence, speaker, quantities, label="high", time=None, kind="government"):
    return {
        "sentence": sentence,
        "quote": sentence,
        "speaker": speaker,
        "attributions": [{"speaker": speaker, "kind": kind}] if speaker else [],
        "quantities": [
            {"value": v, "unit": None, "subject": "", "figure": f, "value_high": None}
            for v, f in quantities
        ],
        "score": 0.9,
        "score_label": label,
        "time": time,
    }


def _answer(**changes):
    """What an extractor that gets the flood text nearly right would say."""
    candidates = [
        _candidate("At least 40 people have died in the floods, the Interior Ministry said.",
                   "Interior Ministry", [(40, "killed")]),
        _candidate("Correction: The Interior Ministry has revised the death toll to 31.",
                   "Interior Ministry", [(31, "killed")], time="2026-03-14T10:15:00+00:00"),
        _candidate("Twelve people are missing, the Red Cross said.", "the Red Cross",
                   [(12, "missing")], label="low", kind="government"),
    ]  # fmt: skip
    conflicts = [{"kind": "correction", "old": 40, "new": 31, "values": [40, 31]}]
    answer = {"candidates": candidates, "conflicts": conflicts}
    for change in changes.values():
        change(answer)
    return answer


def _score(answer):
    doc = Document("01-flood", FLOOD, GOLD)
    return evaluate([doc], lambda text, **kw: answer)["all"]


def test_a_right_answer_scores_full_marks_and_the_wrong_kind_is_listed():
    scores = _score(_answer())

    for task in ("corrections", "figures", "speakers", "times"):
        assert (scores[task].precision, scores[task].recall) == (1.0, 1.0), task
    assert scores["speaker kinds"].misses == [
        "01-flood: the Red Cross typed government, not organisation"
    ]
    # The missing-people line is ranked low: a miss.
    assert (scores["checkworthy"].hits, scores["checkworthy"].predicted) == (2, 2)
    assert scores["checkworthy"].misses == [
        "01-flood: “people are missing, the Red Cross” ranked low"
    ]


def test_mentions_of_one_figure_split_across_keys_count_as_misses():
    def split_toll(answer):
        answer["candidates"][1]["quantities"][0]["figure"] = "toll"

    scores = _score(_answer(split=split_toll))

    assert scores["figures"].hits == 2
    assert scores["figures"].misses == [
        "01-flood: 31 (dead) in “revised the death toll to 31” read as figure “toll”, "
        "not with the rest of its figure"
    ]


def test_a_disagreement_taken_for_a_correction_costs_precision_and_recall():
    def wrong(answer):
        answer["conflicts"] = [{"kind": "correction", "old": 31, "new": 40}]

    scores = _score(_answer(wrong=wrong))["corrections"]

    assert (scores.hits, scores.gold, scores.predicted) == (0, 1, 1)
    assert scores.misses == ["01-flood: correction 40 → 31 not found"]
    assert scores.spurious == ["01-flood: correction 31 → 40 is not one"]


def test_a_spurious_figure_and_a_wrong_speaker_are_listed():
    def noisy(answer):
        answer["candidates"][0]["quantities"].append(
            {"value": 9, "unit": None, "subject": "hours", "figure": "hour", "value_high": None}
        )
        answer["candidates"][2]["attributions"] = [{"speaker": "Twelve people", "kind": "person"}]

    scores = _score(_answer(noisy=noisy))

    assert scores["figures"].precision == pytest.approx(3 / 4)
    assert scores["speakers"].recall == pytest.approx(2 / 3)
    assert scores["speakers"].misses == [
        "01-flood: Red Cross in “people are missing, the Red Cross”: got Twelve people"
    ]


def test_floors_name_what_falls_short():
    scores = evaluate([Document("01-flood", FLOOD, GOLD)], lambda text, **kw: _answer())
    floors = {"all": {"corrections": {"recall": 0.9}, "checkworthy": {"precision": 1.0}}}

    assert below_floors(scores, floors) == []
    scores["all"]["corrections"].hits = 0
    assert below_floors(scores, floors) == ["all corrections recall 0.000 is below its floor 0.9"]


def _corpus(tmp_path: Path, floors: dict) -> Path:
    (tmp_path / "01-flood.txt").write_text(FLOOD, encoding="utf-8")
    (tmp_path / "01-flood.json").write_text(json.dumps(GOLD), encoding="utf-8")
    (tmp_path / "floors.json").write_text(json.dumps(floors), encoding="utf-8")
    return tmp_path


def test_the_command_prints_scores_per_split_as_json(tmp_path):
    out = StringIO()

    call_command("extraction_eval", "--corpus", str(_corpus(tmp_path, {})), "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["texts"] == {"tune": 1, "heldout": 0}
    assert set(report["scores"]) == {"tune", "heldout", "all"}
    corrections = report["scores"]["all"]["corrections"]
    assert (corrections["hits"], corrections["gold"]) == (1, 1)
    assert report["scores"]["all"]["times"]["recall"] == 1.0


def test_the_command_lists_misses_and_fails_below_a_floor(tmp_path):
    floors = {"all": {"checkworthy": {"precision": 1.01}}}
    out = StringIO()

    with pytest.raises(
        CommandError, match=r"all checkworthy precision [\d.]+ is below its floor 1.01"
    ):
        call_command("extraction_eval", "--corpus", str(_corpus(tmp_path, floors)), "--check",
                     stdout=out)  # fmt: skip

    assert re.search(r"^corrections\s+1\.00\s+1\.00\s+1\.00", out.getvalue(), re.M)


def test_a_corpus_without_gold_is_refused(tmp_path):
    (tmp_path / "01-x.txt").write_text("Ten people died.", encoding="utf-8")

    with pytest.raises(CommandError, match="01-x.txt has no gold file 01-x.json"):
        call_command("extraction_eval", "--corpus", str(tmp_path))


# --------------------------------------------------------------------------- the corpus


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    return load_corpus(CORPUS)


def test_the_corpus_is_forty_texts_with_a_third_held_out(corpus):
    assert len(corpus) >= 40
    for doc in corpus:
        number = int(doc.name.split("-", 1)[0])
        assert doc.split == ("heldout" if number % 3 == 0 else "tune"), doc.name
    assert sum(doc.split == "heldout" for doc in corpus) >= len(corpus) // 3


def test_every_gold_fragment_is_in_its_text(corpus):
    for doc in corpus:
        text = " ".join(doc.text.split())
        gold = doc.gold
        fragments = [
            *(f["sentence"] for f in gold.get("figures", [])),
            *(s["sentence"] for s in gold.get("speakers", [])),
            *gold.get("checkworthy", []),
            *(t["sentence"] for t in gold.get("times", [])),
        ]
        for fragment in fragments:
            assert " ".join(fragment.split()) in text, f"{doc.name}: {fragment!r}"
        labels = {f["figure"] for f in gold.get("figures", [])}
        assert {c["figure"] for c in gold.get("corrections", [])} <= labels, doc.name


def test_extraction_stays_at_or_above_its_floors(corpus):
    floors = json.loads((CORPUS / "floors.json").read_text(encoding="utf-8"))

    scores = evaluate(corpus, extract)

    assert below_floors(scores, floors) == []
