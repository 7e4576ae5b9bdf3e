"""A figure always stands at exactly one current value, or shows that its sources disagree, or
has nothing standing, whatever the desk does to its reports.

Hypothesis plays random sequences of reports from three sources (said at any time, earlier
or later than the others), new values replacing a standing report, rulings, and hiding and
unhiding, through the real services on the real database. After every step the figure as the
desk reads it (``desk_figure``) is checked against the rule worked out here from the rows
themselves: the newest visible confirmed report, else the newest standing one, unless the
sources' newest standing words differ; and every chain of replacements stays in the figure
and ends in one report.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from claims import services
from claims.access import visible_claims
from claims.models import Attribution, Claim
from claims.selectors.figures import desk_figure
from tests.hardening.hostile import EXPLORE, hostile_settings
from tests.support.factories import (
    EvidenceFactory,
    FigureFactory,
    SourceFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SOURCES = ["Government of Canada", "François-Philippe Champagne", "Global Affairs Canada"]
AMOUNTS = [(57, "exact"), (63, "exact"), (57, "about")]
RULINGS = ["confirmed", "false", "misleading", "disputed", "unproven"]
FALLEN = {"superseded", "false", "misleading", "disputed"}
START = datetime(2020, 1, 8, 12, tzinfo=UTC)
REFUSED = (ValidationError, PermissionDenied, services.ConflictError)

machine_settings = settings(hostile_settings, max_examples=EXPLORE or 40, stateful_step_count=15)


class FigureReports(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.people = {
            role: UserFactory(username=f"figures-{role}", role=role)
            for role in ("reporter", "editor", "moderator")
        }
        story = StoryFactory(actor=self.people["editor"])
        self.figure = FigureFactory(
            story=story, subject="Canadian victims", actor=self.people["reporter"]
        )
        self.sources = [SourceFactory(name=name) for name in SOURCES]
        self.hours = 0

    # Actions ----------------------------------------------------------------------------------

    def _file(self, source: int, amount: int, hours: int, actor, **replacing) -> Claim:
        value, approximation = AMOUNTS[amount]
        self.hours += 1
        words = "about " if approximation == "about" else ""
        return services.figure_report(
            figure=self.figure, value=value, approximation=approximation,
            text=f"{SOURCES[source]} says {words}{value} Canadians died on PS752.",
            source=self.sources[source], quote=f"{value} Canadians",
            said_at=START + timedelta(hours=self.hours + hours), actor=actor, **replacing,
        )  # fmt: skip

    def _reports(self, *, standing_only: bool = False) -> list[Claim]:
        reports = Claim.objects.filter(figure=self.figure).order_by("pk")
        if standing_only:
            reports = reports.exclude(status="superseded")
        return list(reports)

    @rule(source=st.integers(0, 2), amount=st.integers(0, 2), hours=st.integers(-3, 2))
    def report(self, source, amount, hours):
        self._file(source, amount, hours, self.people["reporter"])

    @rule(
        data=st.data(), source=st.integers(0, 2), amount=st.integers(0, 2),
        hours=st.integers(-3, 2), as_reporter=st.booleans(),
    )  # fmt: skip
    def report_a_new_value(self, data, source, amount, hours, as_reporter):
        open_reports = self._reports(standing_only=True)
        if not open_reports:
            return
        old = data.draw(st.sampled_from(open_reports))
        actor = self.people["reporter" if as_reporter else "editor"]
        own = Attribution.objects.filter(claim=old, source=self.sources[source]).exists()
        count = Claim.objects.count()
        try:
            new = self._file(
                source, amount, hours, actor, supersedes=old, supersedes_version=old.version
            )
        except PermissionDenied:
            assert as_reporter and not own
            assert Claim.objects.count() == count
            return
        assert not as_reporter or own
        assert Claim.objects.get(pk=old.pk).superseded_by_id == new.pk

    @rule(data=st.data(), verdict=st.sampled_from(RULINGS))
    def rule_on_a_report(self, data, verdict):
        reports = self._reports()
        if not reports:
            return
        claim = data.draw(st.sampled_from(reports))
        editor = self.people["editor"]
        try:
            if claim.evidence_count == 0:
                EvidenceFactory(claim=claim, actor=editor)
            for status in ("in_review", verdict):
                claim = Claim.objects.get(pk=claim.pk)
                if claim.status != status:
                    services.claim_set_status(
                        claim=claim, status=status, rationale=f"Ruled {status}.", actor=editor,
                        expected_version=claim.version,
                    )  # fmt: skip
        except ValidationError:
            assert Claim.objects.get(pk=claim.pk).status == "superseded"

    @rule(data=st.data())
    def hide_or_unhide(self, data):
        reports = self._reports()
        if not reports:
            return
        claim = data.draw(st.sampled_from(reports))
        service = services.claim_unhide if claim.is_hidden else services.claim_hide
        service(claim=claim, actor=self.people["moderator"], expected_version=claim.version)

    # What must hold ---------------------------------------------------------------------------

    def _rows(self) -> list[dict]:
        """Each report as the database holds it, with who said it and when (its first
        attribution), newest first."""
        rows = []
        for claim in Claim.objects.filter(figure=self.figure):
            said = claim.attributions.order_by("said_at", "id").first()
            rows.append(
                {"id": claim.pk, "status": claim.status, "hidden": claim.is_hidden,
                 "amount": (claim.value, claim.value_high, claim.approximation),
                 "source": said.source_id, "said": said.said_at}
            )  # fmt: skip
        return sorted(rows, key=lambda r: (r["said"], r["id"]), reverse=True)

    @invariant()
    def the_figure_stands_at_one_value_or_shows_the_disagreement(self):
        state = desk_figure(self.figure, visible_claims(self.people["editor"])).state
        rows = self._rows()
        by_id = {r["id"]: r for r in rows}
        standing = [r for r in rows if r["status"] not in FALLEN and not r["hidden"]]
        confirmed = [r for r in standing if r["status"] == "confirmed"]
        pool = confirmed or standing
        newest_by_source: dict = {}
        for row in pool:
            newest_by_source.setdefault(row["source"], row)
        disagree = len({r["amount"] for r in newest_by_source.values()}) > 1

        assert state.kind in {"current", "disagree", "none"}
        assert (state.current is not None) + state.disagree + (state.kind == "none") == 1
        assert state.disagree == disagree
        assert (state.kind == "none") == (not standing)
        if state.current is not None:
            current = by_id[state.current.claim_id]
            assert current["status"] not in FALLEN and not current["hidden"]
            assert current["id"] == pool[0]["id"]
        if confirmed and not disagree:
            assert state.current.claim_id == confirmed[0]["id"]
            assert state.current.status == "confirmed"
        if disagree:
            assert {r.claim_id for r in state.disagreeing} == {
                r["id"] for r in newest_by_source.values()
            }

    @invariant()
    def replacements_stay_in_the_figure_and_each_chain_ends_in_one_report(self):
        links = dict(Claim.objects.filter(figure=self.figure).values_list("pk", "superseded_by_id"))
        statuses = dict(Claim.objects.filter(figure=self.figure).values_list("pk", "status"))
        assert not Claim.objects.filter(superseded_by__figure=self.figure).exclude(
            figure=self.figure
        )
        for start in links:
            seen, current = set(), start
            while links[current] is not None:
                assert current not in seen, "a cycle of replacements"
                assert links[current] in links, "replaced by a report of another figure"
                assert statuses[current] == "superseded"
                seen.add(current)
                current = links[current]
            assert statuses[current] != "superseded"


def test_any_sequence_of_reports_and_rulings_keeps_one_value_or_a_disagreement(db):
    run_state_machine_as_test(FigureReports, settings=machine_settings)
