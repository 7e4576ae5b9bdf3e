"""How the ingest page shows a candidate: its figure in words ("about 250", "between 30 and
35"), the correction or disagreement it states and why, its speakers with their kinds, the
score in words, and what the desk is offered to do with it, judged against the story's
figures as they stand now (a figure filed since the text was extracted counts)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from claims import access
from claims.desk.ingest_forms import ACCEPT, NEW_FIGURE, NO_FIGURE, REPORT, CandidateForm
from claims.lib.extraction import figure_name
from claims.models import Claim, Figure, IngestCandidate, IngestJob
from claims.models.choices import Approximation, FigureKind
from claims.models.figures import describe_value, format_number
from claims.selectors.figures import FigureSummary, desk_story_figures
from claims.services import ingest


def value_words(value, approximation: str = "", high=None, unit: str | None = None) -> str:
    """A value as the text gave it: the desk's words for a reported value ("about 250",
    "12.5%"), a range spelt out ("between 30 and 35 km")."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):  # a range given as [low, high]
        value, high, approximation = value[0], value[-1], Approximation.RANGE
    kind = FigureKind.PERCENTAGE if unit == "%" else ""
    if approximation == Approximation.RANGE and high is not None:
        return f"between {format_number(value)} and {describe_value(high, '', None, unit, kind)}"
    return describe_value(value, approximation, None, unit, kind)


@dataclass(frozen=True)
class Quantity:
    """A value the sentence states, and what it is a value of."""

    words: str
    subject: str  # as the sentence put it: "death toll"
    figure: str = ""  # the figure it is, however put: "killed"

    @classmethod
    def of_extracted(cls, found: dict) -> Quantity:
        words = value_words(
            found.get("value"), found.get("approximation") or "", found.get("value_high"),
            found.get("unit"),
        )  # fmt: skip
        subject, figure = found.get("subject") or "", figure_name(found.get("figure") or "")
        return cls(words, subject, "" if figure.lower() == subject.lower() else figure)


@dataclass(frozen=True)
class Speaker:
    name: str
    kind: str
    via: str = ""


@dataclass(frozen=True)
class TextConflict:
    """Where the text itself gives this figure another value: a correction or another source."""

    kind: str
    values: str  # "40 → 31"
    reason: str
    others: list[int]  # the other candidates' numbers on the page (their index + 1)


@dataclass
class CandidateRow:
    """One candidate as the page shows it to this user, with its figure as it stands now."""

    candidate: IngestCandidate
    figure: FigureSummary | None = None
    flag: str = ""  # correction or conflict, judged against that figure now
    report: Claim | None = None  # the report it corrects or contradicts, when visible
    claim: Claim | None = None  # the claim it became, when the user may see it
    text_conflicts: list[TextConflict] = field(default_factory=list)
    form: CandidateForm | None = None
    error: str = ""

    @property
    def quantities(self) -> list[Quantity]:
        return [Quantity.of_extracted(q) for q in self.candidate.quantities or []]

    @property
    def speakers(self) -> list[Speaker]:
        candidate = self.candidate
        found = candidate.attributions or (
            [{"speaker": candidate.speaker, "kind": candidate.speaker_kind}]
            if candidate.speaker
            else []
        )
        return [Speaker(a["speaker"], a.get("kind") or "", a.get("via") or "") for a in found]

    @property
    def corrects(self) -> str:
        """The correction the sentence states, old value first: "40 → 31"."""
        corrects = self.candidate.corrects or {}
        if corrects.get("old") is None or corrects.get("new") is None:
            return ""
        return f"{value_words(corrects['old'])} → {value_words(corrects['new'])}"

    @property
    def score_words(self) -> str:
        """The score in words: "High: states a figure, anonymous sourcing"."""
        candidate = self.candidate
        label = candidate.get_score_label_display() or "Low"
        reasons = ", ".join(candidate.reasons or [])
        return f"{label}: {reasons}" if reasons else label

    @property
    def replaceable(self) -> bool:
        report = self.report
        return report is not None and report.figure_id is not None and not report.superseded_by_id

    @property
    def new_value(self) -> str:
        """The value a report of the linked figure would file, in words: "31"."""
        if self.figure is None:
            return ""
        found = ingest.quantity_for(self.candidate, self.figure.figure)
        if found is None:
            return ""
        return Quantity.of_extracted(found).words

    @property
    def new_figure_open(self) -> bool:
        return self.form is not None and self.form["figure"].value() == NEW_FIGURE


@dataclass
class JobPage:
    rows: list[CandidateRow]
    counts: dict[str, int]  # candidates by score label
    score: str = ""  # the label shown, or every candidate

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def bands(self) -> list[tuple[str, str, int]]:
        return [
            (value, label, self.counts.get(value, 0))
            for value, label in IngestCandidate.Score.choices
        ]


def job_page(job: IngestJob, user, *, score: str = "") -> JobPage:
    """The job's candidates, all or those of one score band, with the count of each band."""
    score = score if score in IngestCandidate.Score.values else ""
    rows = candidate_rows(job, user, score=score)
    if score:
        counts = dict(job.candidates.order_by().values_list("score_label").annotate(n=Count("pk")))
    else:
        counts = dict(Counter(row.candidate.score_label for row in rows))
    return JobPage(rows, counts, score)


def candidate_rows(job: IngestJob, user, *, score="", decided=None, bound=None, error=""):
    """The job's candidates, each judged against the story's figures as they stand for this
    user, the one just ``decided`` with the desk's input (``bound``) and the ``error``: at
    most four queries, however many candidates."""
    candidates = job.candidates.select_related("figure__merged_into").order_by("index")
    if score:
        candidates = candidates.filter(score_label=score)
    summaries = {s.figure.pk: s for s in desk_story_figures(job.story, access.visible_claims(user))}
    index = ingest.FigureIndex(summaries.values())
    rows, wanted = [], set()
    for candidate in candidates:
        row, ids = _judged(candidate, index, summaries)
        row.text_conflicts = _text_conflicts(job, candidate)
        rows.append((row, ids))
        wanted.update(i for i in ids if i)
    claims = _claims(user, wanted)
    figures = [s.figure for s in summaries.values()]
    for row, (report_id, claim_id) in rows:
        row.report = claims.get(report_id)
        row.claim = claims.get(claim_id)
        if row.candidate.pk == decided:
            row.error = error
        if row.candidate.decision == IngestCandidate.Decision.OPEN:
            mine = row.candidate.pk == decided and bound is not None
            row.form = bound if mine else _form(row, figures)
    return [row for row, _ in rows]


def _judged(candidate: IngestCandidate, index, summaries: dict):
    """The row with its figure and flag, and the ids of the report it replaces and of the
    claim it became: an open candidate judged now, unless no figure of the story is of its
    subject any more (merged away), where what extraction found still holds."""
    row = CandidateRow(candidate)
    found = None
    if candidate.decision == IngestCandidate.Decision.OPEN:
        found = index.judge(candidate.quantities, candidate.corrects)
    if found is not None and found.figure is not None:
        row.figure, row.flag = summaries[found.figure.pk], found.flag
        return row, (found.report_id, None)
    row.figure = summaries.get(_surviving(candidate.figure, summaries))
    row.flag = candidate.flag
    return row, (candidate.conflicting_claim_id, candidate.claim_id)


def _surviving(figure: Figure | None, summaries: dict) -> int | None:
    """The figure a candidate speaks of now: a merged one's reports live where it went."""
    seen = set()
    while figure is not None and figure.pk not in summaries and figure.pk not in seen:
        seen.add(figure.pk)
        figure = figure.merged_into
    return figure.pk if figure is not None else None


def _claims(user, ids: set[int]) -> dict[int, Claim]:
    if not ids:
        return {}
    found = Claim.objects.for_display().select_related("figure").filter(pk__in=ids)
    return {claim.pk: claim for claim in found if access.may_see_claim(user, claim)}


@dataclass(frozen=True)
class TextChange:
    """One figure that changes within the text, its values in words, old first."""

    subject: str
    values: list[str]
    kind: str
    reason: str


def text_changes(job: IngestJob) -> list[TextChange]:
    return [
        TextChange(
            c.get("subject") or "",
            [value_words(v) for v in c.get("values", [])],
            c.get("kind", ""),
            c.get("reason") or "",
        )
        for c in job.conflicts or []
    ]


def _text_conflicts(job: IngestJob, candidate: IngestCandidate) -> list[TextConflict]:
    """The conflicts of the text this candidate is part of, each naming the others in it."""
    found = []
    for conflict in job.conflicts or []:
        members = conflict.get("candidates") or []
        if candidate.index not in members:
            continue
        values = " → ".join(value_words(v) for v in conflict.get("values") or [])
        others = [i + 1 for i in members if i != candidate.index]
        found.append(TextConflict(conflict.get("kind", ""), values, conflict.get("reason", ""),
                                  others))  # fmt: skip
    return found


def _form(row: CandidateRow, figures: list[Figure]) -> CandidateForm:
    candidate = row.candidate
    initial = {
        "claim_text": candidate.proposed_text,
        "quote": candidate.exact_quote,
        "said_at": candidate.said_at,
        "speaker_kind": candidate.speaker_kind or "person",
        **_figure_initial(candidate, row.figure),
    }
    if row.replaceable:
        initial |= {"supersedes": row.report.pk, "supersedes_version": row.report.version}
    return CandidateForm(candidate=candidate, figures=figures, initial=initial)


def _figure_initial(candidate: IngestCandidate, figure: FigureSummary | None) -> dict:
    """A linked figure's report; else a new figure named from the extracted value, when the
    sentence has a speaker to credit it to; else a claim with no figure."""
    if figure is not None:
        return {"figure": str(figure.figure.pk)}
    quantity = ingest.proposed_quantity(candidate)
    if quantity is None or not candidate.speaker:
        return {"figure": NO_FIGURE}
    kind, unit = ingest.figure_kind_for(quantity.get("unit"))
    # Named from the extractor's figure ("Deaths" for "death toll" and "people died"),
    # whose subject key is that figure's, so it is the one later sentences link to.
    named = figure_name(quantity.get("figure") or "") or (quantity.get("subject") or "").strip()
    return {"figure": NEW_FIGURE, "subject": named[:1].upper() + named[1:], "kind": kind,
            "unit": unit}  # fmt: skip


def bound_form(request, candidate: IngestCandidate, decision: str) -> CandidateForm:
    figures = Figure.objects.filter(story_id=candidate.job.story_id, merged_into__isnull=True)
    return CandidateForm(
        request.POST, candidate=candidate, figures=list(figures.order_by("subject", "id")),
        decision=REPORT if decision == REPORT else ACCEPT,
    )  # fmt: skip
