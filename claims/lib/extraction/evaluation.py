"""Scoring the extractor against a corpus of texts with gold annotations.

A corpus is a folder of ``NN-name.txt`` texts, each with ``NN-name.json`` beside it saying
what a careful editor finds in it: the figures (value, approximation, unit and which
mentions are the same figure), the corrections (old value first), the speaker of each
attributed statement, the check-worthy sentences and the live-blog times. Every gold item
names its sentence by a fragment copied from it.

Each task is scored by precision, recall and F1, per split (``tune`` is what the rules were
written against, ``heldout`` is kept aside to show how they generalise) and over all, and
every miss and every spurious answer is listed so a regression can be read, not guessed.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from claims.lib.extraction.scoring import HIGH, MEDIUM

TASKS = ("corrections", "figures", "speakers", "checkworthy")
SPLITS = ("tune", "heldout")
CHECKWORTHY_LABELS = frozenset(("high", "medium"))


@dataclass
class Document:
    name: str
    text: str
    gold: dict

    @property
    def split(self) -> str:
        return self.gold.get("split", "tune")


@dataclass
class Tally:
    """True positives, gold items and predicted items for one task, with what went wrong."""

    hits: int = 0  # gold items found
    gold: int = 0
    predicted: int = 0
    # Predicted items that were right, where one can find more than one gold item (a
    # candidate sentence holding two check-worthy fragments); else ``hits``.
    right: int | None = None
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        if self.right is not None or other.right is not None:
            self.right = self.correct + other.correct
        self.hits += other.hits
        self.gold += other.gold
        self.predicted += other.predicted
        self.misses += other.misses
        self.spurious += other.spurious

    @property
    def correct(self) -> int:
        return self.hits if self.right is None else self.right

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self, *, details: bool = True) -> dict:
        out = {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "hits": self.hits,
            "gold": self.gold,
            "predicted": self.predicted,
        }
        if details:
            out |= {"misses": self.misses, "spurious": self.spurious}
        return out


def load_corpus(folder: Path) -> list[Document]:
    docs = []
    for text_path in sorted(folder.glob("*.txt")):
        gold_path = text_path.with_suffix(".json")
        if not gold_path.exists():
            raise ValueError(f"{text_path.name} has no gold file {gold_path.name}")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        docs.append(Document(text_path.stem, text_path.read_text(encoding="utf-8"), gold))
    if not docs:
        raise ValueError(f"no texts in {folder}")
    return docs


def run_extractor(doc: Document, extract: Callable[..., dict]) -> dict:
    gold = doc.gold
    story_date = date.fromisoformat(gold["story_date"]) if gold.get("story_date") else None
    zone = ZoneInfo(gold["time_zone"]) if gold.get("time_zone") else None
    return extract(doc.text, story_date=story_date, time_zone=zone)


# --------------------------------------------------------------------------- matching


def _squash(text: str) -> str:
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return " ".join(text.split()).lower()


def _name(text: str | None) -> str:
    text = _squash(text or "")
    text = re.sub(r"['’]s\b", "", text)
    return re.sub(r"^(?:the|a|an)\s+", "", text).strip(" .,")


def _value(value) -> tuple[float, float | None]:
    if isinstance(value, list | tuple):
        return float(value[0]), float(value[1])
    return float(value), None


class _Sentences:
    """Which predicted candidate holds each gold fragment."""

    def __init__(self, candidates: list[dict]) -> None:
        self.candidates = candidates
        self._texts = [_squash(c.get("quote") or c["sentence"]) for c in candidates]
        self._raw = [_squash(c["sentence"]) for c in candidates]

    def find(self, fragment: str) -> int | None:
        wanted = _squash(fragment)
        for i, (quote, raw) in enumerate(zip(self._texts, self._raw, strict=True)):
            if wanted in quote or wanted in raw:
                return i
        return None


def _short(text: str, size: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def score_figures(doc: Document, result: dict, found: _Sentences) -> Tally:
    """A gold figure is found when a figure with its value (and range end) and unit is
    read from its sentence, and the mentions the gold calls one figure share a figure key
    that no other gold figure of the text has."""
    tally = Tally(gold=len(doc.gold.get("figures", [])))
    predicted = [
        (i, j, q)
        for i, cand in enumerate(result["candidates"])
        for j, q in enumerate(cand["quantities"])
    ]
    tally.predicted = len(predicted)
    matched: dict[int, tuple[int, int, dict]] = {}
    used: set[tuple[int, int]] = set()
    for g_index, g in enumerate(doc.gold.get("figures", [])):
        i = found.find(g["sentence"])
        if i is None:
            continue
        want = (_value(g["value"])[0], None if g.get("high") is None else float(g["high"]))
        for j, q in enumerate(result["candidates"][i]["quantities"]):
            got = (float(q["value"]), _float_or_none(q.get("value_high")))
            if (i, j) not in used and got == want and (q.get("unit") or None) == g.get("unit"):
                matched[g_index] = (i, j, q)
                used.add((i, j))
                break
    keys = _figure_mapping(doc.gold.get("figures", []), matched)
    for g_index, g in enumerate(doc.gold.get("figures", [])):
        where = (
            f"{doc.name}: {_fmt(g['value'], g.get('high'))} ({g['figure']}) in “{g['sentence']}”"
        )
        if g_index not in matched:
            tally.misses.append(f"{where} not read")
        elif matched[g_index][2].get("figure") != keys.get(g["figure"]):
            got = matched[g_index][2].get("figure")
            tally.misses.append(f"{where} read as figure “{got}”, not with the rest of its figure")
        else:
            tally.hits += 1
    for i, j, q in predicted:
        if (i, j) not in used:
            sentence = result["candidates"][i]["sentence"]
            value, name = _fmt(q["value"], q.get("value_high")), q.get("figure") or q["subject"]
            tally.spurious.append(f"{doc.name}: {value} “{name}” in “{_short(sentence)}”")
    return tally


def _float_or_none(value) -> float | None:
    return None if value is None else float(value)


def _fmt(value, high=None) -> str:
    if isinstance(value, list):
        value, high = value
    return f"{value:g}–{high:g}" if high is not None else f"{value:g}"


def _figure_mapping(gold: list[dict], matched: dict[int, tuple[int, int, dict]]) -> dict[str, str]:
    """Each gold figure label's predicted figure key: the most common among its mentions,
    given to the label with most mentions when two labels would take the same key."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for g_index, (_, _, q) in matched.items():
        votes[gold[g_index]["figure"]][q.get("figure")] += 1
    claims = sorted(
        ((counter.most_common(1)[0], label) for label, counter in votes.items()),
        key=lambda item: (-item[0][1], item[1]),
    )
    taken: set[str | None] = set()
    mapping = {}
    for (key, _), label in claims:
        if key not in taken and key:
            mapping[label] = key
            taken.add(key)
    return mapping


def score_corrections(doc: Document, result: dict) -> Tally:
    gold = Counter((_value(c["old"]), _value(c["new"])) for c in doc.gold.get("corrections", []))
    seen = Counter(
        (_value(c["old"]), _value(c["new"]))
        for c in _dedupe(result["conflicts"])
        if c["kind"] == "correction"
    )
    tally = Tally(gold=sum(gold.values()), predicted=sum(seen.values()))
    tally.hits = sum((gold & seen).values())
    for pair, n in (gold - seen).items():
        tally.misses += [f"{doc.name}: correction {_pair(pair)} not found"] * n
    for pair, n in (seen - gold).items():
        tally.spurious += [f"{doc.name}: correction {_pair(pair)} is not one"] * n
    return tally


def _dedupe(conflicts: list[dict]) -> list[dict]:
    """Corrections as pairs, each once: a conflict carries its ``old`` and ``new``."""
    out, seen = [], set()
    for c in conflicts:
        if c["kind"] != "correction" or c.get("old") is None:
            continue
        old, new = c["old"], c["new"]
        key = (json.dumps(old), json.dumps(new))
        if key not in seen:
            seen.add(key)
            out.append({"kind": "correction", "old": old, "new": new})
    return out


def _pair(pair) -> str:
    (old, old_high), (new, new_high) = pair
    return f"{_fmt(old, old_high)} → {_fmt(new, new_high)}"


def score_speakers(doc: Document, result: dict, found: _Sentences) -> tuple[Tally, Tally]:
    """Attributions matched by name (any of the gold's accepted forms), and, of those
    matched, whether the kind of source was guessed right."""
    tally, kinds = Tally(), Tally()
    by_candidate: dict[int, list[dict]] = defaultdict(list)
    unplaced = []
    for g in doc.gold.get("speakers", []):
        i = found.find(g["sentence"])
        if i is None:
            unplaced.append(g)
        else:
            by_candidate[i].append(g)
    tally.gold = len(doc.gold.get("speakers", []))
    for g in unplaced:
        tally.misses.append(
            f"{doc.name}: {g['speaker'][0]} in “{g['sentence']}”: sentence not proposed"
        )
    for i, cand in enumerate(result["candidates"]):
        said = list(_attributions(cand))
        tally.predicted += len(said)
        for g in by_candidate.get(i, []):
            names = {_name(n) for n in _as_list(g["speaker"])}
            hit = next((a for a in said if _name(a["speaker"]) in names), None)
            if hit is None:
                got = ", ".join(a["speaker"] for a in said) or "nobody"
                tally.misses.append(
                    f"{doc.name}: {_as_list(g['speaker'])[0]} in “{g['sentence']}”: got {got}"
                )
                continue
            said.remove(hit)
            tally.hits += 1
            kinds.gold += 1
            kinds.predicted += 1
            if hit.get("kind") == g.get("kind"):
                kinds.hits += 1
            else:
                kinds.misses.append(
                    f"{doc.name}: {hit['speaker']} typed {hit.get('kind')}, not {g.get('kind')}"
                )
        for a in said:
            tally.spurious.append(f"{doc.name}: {a['speaker']} in “{_short(cand['sentence'])}”")
    return tally, kinds


def _attributions(cand: dict) -> Iterable[dict]:
    if "attributions" in cand:
        return cand["attributions"]
    return [{"speaker": cand["speaker"], "kind": None}] if cand.get("speaker") else []


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def score_checkworthy(doc: Document, result: dict, found: _Sentences) -> Tally:
    wanted = doc.gold.get("checkworthy", [])
    flagged = {i for i, c in enumerate(result["candidates"]) if _label(c) in CHECKWORTHY_LABELS}
    tally = Tally(gold=len(wanted), predicted=len(flagged))
    hit_candidates = set()
    for fragment in wanted:
        i = found.find(fragment)
        if i is not None and i in flagged:
            tally.hits += 1
            hit_candidates.add(i)
        else:
            why = "not proposed" if i is None else f"ranked {_label(result['candidates'][i])}"
            tally.misses.append(f"{doc.name}: “{fragment}” {why}")
    for i in sorted(flagged - hit_candidates):
        tally.spurious.append(f"{doc.name}: “{_short(result['candidates'][i]['sentence'])}”")
    tally.predicted, tally.right = len(flagged), len(hit_candidates)
    return tally


def _label(cand: dict) -> str:
    if "score_label" in cand:
        return cand["score_label"]
    return "high" if cand["score"] >= HIGH else "medium" if cand["score"] >= MEDIUM else "low"


def score_times(doc: Document, result: dict, found: _Sentences) -> Tally:
    tally = Tally(gold=len(doc.gold.get("times", [])))
    tally.predicted = sum(1 for c in result["candidates"] if c.get("time"))
    for g in doc.gold.get("times", []):
        i = found.find(g["sentence"])
        got = result["candidates"][i].get("time") if i is not None else None
        if got and datetime.fromisoformat(got) == datetime.fromisoformat(g["time"]):
            tally.hits += 1
        else:
            tally.misses.append(f"{doc.name}: “{g['sentence']}” at {g['time']}, got {got}")
    return tally


# --------------------------------------------------------------------------- the report


def evaluate(docs: list[Document], extract: Callable[..., dict]) -> dict:
    """Scores per split and over all: ``{"tune": {task: Tally}, "heldout": ..., "all": ...}``."""
    names = (*TASKS, "speaker kinds", "times")
    totals = {split: {task: Tally() for task in names} for split in (*SPLITS, "all")}
    for doc in docs:
        result = run_extractor(doc, extract)
        found = _Sentences(result["candidates"])
        speakers, kinds = score_speakers(doc, result, found)
        scores = {
            "corrections": score_corrections(doc, result),
            "figures": score_figures(doc, result, found),
            "speakers": speakers,
            "speaker kinds": kinds,
            "checkworthy": score_checkworthy(doc, result, found),
            "times": score_times(doc, result, found),
        }
        for task, tally in scores.items():
            totals[doc.split][task].add(tally)
            totals["all"][task].add(tally)
    return totals


def below_floors(totals: dict, floors: dict) -> list[str]:
    """What falls short of ``floors``: ``{split: {task: {"precision": x, "recall": y}}}``."""
    failures = []
    for split, tasks in floors.items():
        for task, wanted in tasks.items():
            tally = totals[split][task]
            for measure, floor in wanted.items():
                got = getattr(tally, measure)
                if got + 1e-9 < floor:
                    failures.append(
                        f"{split} {task} {measure} {got:.3f} is below its floor {floor}"
                    )
    return failures
