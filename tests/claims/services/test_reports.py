"""Reporting a value of a figure: a new value is a new claim with its source, replacing an
earlier report in the same transaction; bad values, words that do not state the value and
replacements across figures are refused and write nothing."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.models import Attribution, Claim, OutboxEvent, Revision, StatusCount
from tests.support.factories import (
    ClaimFactory,
    FigureFactory,
    ReportFactory,
    SourceFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db

JAN_8 = datetime(2020, 1, 8, 20, tzinfo=UTC)
JAN_10 = datetime(2020, 1, 10, 15, tzinfo=UTC)


@pytest.fixture
def victims(story, reporter):
    return FigureFactory(story=story, subject="Canadian victims", unit="people", actor=reporter)


@pytest.fixture
def canada(db):
    return SourceFactory(name="Government of Canada", kind="organisation")


@pytest.fixture
def champagne(db):
    return SourceFactory(name="François-Philippe Champagne")


@pytest.fixture
def first(victims, canada, reporter):
    return ReportFactory(figure=victims, value=63, source=canada, said_at=JAN_8, actor=reporter)


def written(story) -> tuple[int, int, int, int, dict]:
    """Everything a report writes, to show a refused one wrote nothing."""
    counts = dict(StatusCount.objects.filter(story=story).values_list("status", "count"))
    return (
        Claim.objects.count(),
        Revision.objects.count(),
        Attribution.objects.count(),
        OutboxEvent.objects.count(),
        counts,
    )


def report(figure, actor, **kwargs) -> Claim:
    fields = {
        "value": 57,
        "text": "Canada's foreign minister says 57 Canadians died on PS752.",
        "source": SourceFactory(name="François-Philippe Champagne"),
        "said_at": JAN_10,
        "quote": "57 Canadians",
        **kwargs,
    }
    return services.figure_report(figure=figure, actor=actor, **fields)


# Filing ---------------------------------------------------------------------------------------


def test_a_report_is_a_new_claim_credited_to_its_source(victims, champagne, reporter):
    claim = report(victims, reporter, source=champagne, outlet="CBC", approximation="about")

    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.figure_id, claim.value, claim.approximation) == (victims.pk, 57, "about")
    assert claim.value_display == "about 57 people"
    attribution = claim.attributions.get()
    assert (attribution.source, attribution.said_at, attribution.outlet) == (
        champagne, JAN_10, "CBC",
    )  # fmt: skip
    created = claim.revisions.get(number=1)
    assert created.after == {
        "text": "Canada's foreign minister says 57 Canadians died on PS752.",
        "figure": victims.pk, "value": 57, "approximation": "about", "value_high": None,
    }  # fmt: skip
    assert list(claim.revisions.values_list("kind", flat=True)) == ["created", "attribution"]


def test_the_new_value_supersedes_the_old_report_in_one_go(first, victims, editor):
    new = report(victims, editor, supersedes=first, supersedes_version=first.version)

    old = Claim.objects.get(pk=first.pk)
    assert (old.status, old.superseded_by_id) == ("superseded", new.pk)
    assert old.revisions.get(kind="superseded").note == (
        "New value reported by François-Philippe Champagne."
    )
    assert Revision.objects.get(claim=new, kind="superseded").after == {"replaces": old.pk}
    assert OutboxEvent.objects.get(claim=old).kind == "superseded"
    assert dict(StatusCount.objects.filter(count__gt=0).values_list("status", "count")) == {
        "superseded": 1,
        "unverified": 1,
    }


def test_a_reporter_may_file_the_same_sources_revision_of_its_own_report(
    first, victims, canada, reporter
):
    new = report(victims, reporter, source=canada, supersedes=first,
                 supersedes_version=first.version)  # fmt: skip

    assert Claim.objects.get(pk=first.pk).superseded_by_id == new.pk


def test_a_reporter_may_not_replace_another_sources_report(first, victims, reporter):
    before = written(victims.story)

    with pytest.raises(PermissionDenied, match="Only an editor"):
        report(victims, reporter, supersedes=first, supersedes_version=first.version)

    assert written(victims.story) == before
    assert Claim.objects.get(pk=first.pk).status == "unverified"


def test_a_failed_supersession_rolls_the_new_report_back(first, victims, editor):
    services.claim_assign(claim=first, assignee=editor, actor=editor)  # version 2 now
    before = written(victims.story)

    with pytest.raises(services.ConflictError):
        report(victims, editor, supersedes=first, supersedes_version=1)

    assert written(victims.story) == before
    assert not Claim.objects.filter(value=57).exists()
    assert not Attribution.objects.filter(source__name="François-Philippe Champagne").exists()


def test_replacing_a_report_already_replaced_writes_nothing(first, victims, editor):
    report(victims, editor, supersedes=first, supersedes_version=first.version)
    stale = Claim.objects.get(pk=first.pk)
    before = written(victims.story)

    with pytest.raises(ValidationError, match="already been replaced"):
        report(victims, editor, value=58, text="58 Canadians died.", supersedes=stale,
               supersedes_version=stale.version)  # fmt: skip

    assert written(victims.story) == before


def test_a_replacement_needs_the_version_of_the_report_it_replaces(first, victims, editor):
    with pytest.raises(ValidationError) as refused:
        report(victims, editor, supersedes=first)

    assert "expected_version" in refused.value.message_dict
    assert Claim.objects.count() == 1


# Figures, stories ------------------------------------------------------------------------------


def test_a_report_never_replaces_a_report_of_another_figure(first, story, editor):
    crew = FigureFactory(story=story, subject="Ukrainian crew", unit="people")
    before = written(story)

    with pytest.raises(ValidationError) as refused:
        report(crew, editor, value=9, text="Nine crew died.", supersedes=first,
               supersedes_version=first.version)  # fmt: skip

    assert "supersedes" in refused.value.message_dict
    assert written(story) == before


@pytest.mark.parametrize("service", ["claim_supersede", "claim_merge"])
def test_claims_of_two_figures_or_a_claim_and_a_report_are_not_joined(
    first, story, editor, reporter, service
):
    crew = FigureFactory(story=story, subject="Ukrainian crew", unit="people")
    other = ReportFactory(figure=crew, value=9, text="Nine crew died.")
    plain = ClaimFactory(story=story, actor=reporter, text="The plane was shot down.")
    replace = getattr(services, service)
    target = "by" if service == "claim_supersede" else "into"

    for claim, by in [(first, other), (first, plain), (plain, first)]:
        with pytest.raises(ValidationError, match="same figure"):
            replace(claim=claim, actor=editor, expected_version=claim.version, **{target: by})

    assert not Claim.objects.filter(status="superseded").exists()


def test_a_claim_does_not_report_a_figure_of_another_story(victims, reporter):
    elsewhere = StoryFactory()

    with pytest.raises(ValidationError, match="another story"):
        services.claim_create(
            story=elsewhere, text="57 Canadians died.", actor=reporter, figure=victims, value=57
        )

    assert not Claim.objects.exists()


def test_a_report_does_not_replace_a_claim_of_another_story(victims, editor):
    elsewhere = FigureFactory(story=StoryFactory(), subject="Canadian victims", unit="people")
    stranger = ReportFactory(figure=elsewhere, value=63)

    with pytest.raises(ValidationError):
        report(victims, editor, supersedes=stranger, supersedes_version=stranger.version)

    assert Claim.objects.get(pk=stranger.pk).status == "unverified"
    assert not victims.reports.exists()


# Values ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["NaN", "nan", "Infinity", "inf", "-inf", "1e400", "sixty", float("nan"), float("inf"), True,
     "999999999999999999.9999999", [57], "", None],
)  # fmt: skip
def test_a_value_must_be_a_finite_number_the_database_keeps(victims, reporter, value):
    with pytest.raises(ValidationError) as refused:
        report(victims, reporter, value=value)

    assert "value" in refused.value.message_dict
    assert not Claim.objects.exists()


@pytest.mark.parametrize(("given", "stored"), [("1,380", 1380), ("49.5", 49.5), ("-0", 0)])
def test_values_are_stored_as_numbers_and_recorded_as_json_numbers(
    victims, reporter, given, stored
):
    claim = report(victims, reporter, value=given, confirm_mismatch=True)

    assert Claim.objects.get(pk=claim.pk).value == Decimal(str(stored))
    assert claim.revisions.get(number=1).after["value"] == stored
    assert victims.describe(claim.value) == f"{stored} people"


def test_a_range_with_its_low_above_its_high_is_refused(victims, reporter):
    with pytest.raises(ValidationError) as refused:
        report(victims, reporter, value=50, value_high=40, approximation="range",
               text="Between 40 and 50 died.")  # fmt: skip

    assert "value_high" in refused.value.message_dict
    assert not Claim.objects.exists()


def test_the_database_refuses_a_range_with_its_low_above_its_high(victims, reporter):
    claim = report(victims, reporter, value=40, value_high=50, approximation="range",
                   text="Between 40 and 50 Canadians died.")  # fmt: skip

    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(value_high=30)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(approximation="exact")

    claim.refresh_from_db()
    assert (claim.value, claim.value_high, claim.value_display) == (40, 50, "40–50 people")


@pytest.mark.parametrize(
    ("approximation", "value_high", "key"),
    [
        ("range", None, "value_high"),
        ("exact", 50, "value_high"),
        ("roughly", None, "approximation"),
    ],
)
def test_only_a_range_has_a_top_and_every_range_has_one(
    victims, reporter, approximation, value_high, key
):
    with pytest.raises(ValidationError) as refused:
        report(victims, reporter, value=40, value_high=value_high, approximation=approximation)

    assert key in refused.value.message_dict


def test_a_percentage_stays_a_percentage(story, reporter):
    turnout = FigureFactory(story=story, subject="Turnout", kind="percentage", unit="%")

    with pytest.raises(ValidationError, match="between 0 and 1000"):
        report(turnout, reporter, value=1200, text="Turnout was 1200%.")

    assert report(turnout, reporter, value="12.5", text="Turnout was 12.5%.").value_display == (
        "12.5%"
    )


# Words and value --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "extra"),
    [
        ("Canada says 57 Canadians died.", 57, {}),
        ("Officials said 1,380 people were displaced.", 1380, {}),
        ("About 1.5 million people were displaced.", 1_500_000, {}),
        ("Fifty-seven Canadians were aboard.", 57, {}),
        ("US officials say two missiles were launched.", 2, {}),
        ("Between 40 and 50 people died.", 40, {"approximation": "range", "value_high": 50}),
        ("One hundred and seventy-six people were aboard.", 176, {}),
        ("Temperatures fell to -3 overnight.", -3, {}),
    ],
)
def test_words_that_state_the_value_need_no_confirmation(victims, reporter, text, value, extra):
    claim = report(victims, reporter, text=text, value=value, **extra)

    assert "mismatch_confirmed" not in claim.revisions.get(number=1).after


@pytest.mark.parametrize(
    ("text", "value", "extra"),
    [
        ("At least 40 people have died.", 31, {}),
        ("Canada says 63 Canadians died.", 57, {}),
        ("Between 40 and 50 people died.", 40, {"approximation": "range", "value_high": 60}),
        ("Canadians died on PS752.", 57, {}),
        ("Temperatures fell to 3 overnight.", -3, {}),
    ],
)
def test_words_that_do_not_state_the_value_are_refused_unless_confirmed(
    victims, reporter, text, value, extra
):
    with pytest.raises(ValidationError) as refused:
        report(victims, reporter, text=text, value=value, **extra)

    assert "confirm_mismatch" in refused.value.message_dict
    assert not Claim.objects.exists()
    confirmed = report(victims, reporter, text=text, value=value, confirm_mismatch=True, **extra)
    assert confirmed.revisions.get(number=1).after["mismatch_confirmed"] is True


def test_confirm_mismatch_must_be_a_real_yes(victims, reporter):
    with pytest.raises(ValidationError) as refused:
        report(victims, reporter, text="Canadians died.", confirm_mismatch="false")

    assert "confirm_mismatch" in refused.value.message_dict
    assert not Claim.objects.exists()


# Editing a report --------------------------------------------------------------------------------


def test_a_value_typo_fix_needs_a_note_and_is_recorded_as_one(first, reporter):
    with pytest.raises(ValidationError) as refused:
        services.claim_edit(
            claim=first, actor=reporter, expected_version=first.version, value=36,
            confirm_mismatch=True,
        )  # fmt: skip
    assert "note" in refused.value.message_dict

    services.claim_edit(
        claim=first, actor=reporter, expected_version=first.version, value=36,
        text="Canada says 36 of its citizens died on PS752.", note="Typed 63 for 36.",
    )  # fmt: skip

    claim = Claim.objects.get(pk=first.pk)
    assert (claim.value, claim.version) == (36, first.version + 1)
    fixed = claim.revisions.get(number=claim.version)
    assert (fixed.kind, fixed.note) == ("value_fixed", "Typed 63 for 36.")
    assert fixed.before == {"text": "Canada says 63 of its citizens died on PS752.", "value": 63}
    assert fixed.after == {"text": "Canada says 36 of its citizens died on PS752.", "value": 36}


def test_new_words_for_a_report_must_still_state_its_value(first, reporter):
    with pytest.raises(ValidationError) as refused:
        services.claim_edit(
            claim=first, actor=reporter, expected_version=first.version,
            text="Canada says 57 of its citizens died on PS752.",
        )  # fmt: skip

    assert "confirm_mismatch" in refused.value.message_dict
    services.claim_edit(
        claim=first, actor=reporter, expected_version=first.version,
        text="Canada counts its dead on PS752.", confirm_mismatch=True,
    )  # fmt: skip
    edited = Claim.objects.get(pk=first.pk).revisions.get(kind="edited")
    assert edited.after == {"text": "Canada counts its dead on PS752.", "mismatch_confirmed": True}


def test_a_stale_edit_of_a_report_is_refused(first, reporter, editor):
    stale = Claim.objects.get(pk=first.pk)
    services.claim_assign(claim=first, assignee=editor, actor=editor)

    with pytest.raises(services.ConflictError):
        services.claim_edit(claim=stale, actor=reporter, expected_version=stale.version,
                            value=36, note="Typo.", confirm_mismatch=True)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.claim_edit(claim=stale, actor=reporter, expected_version=None,
                            value=36, note="Typo.", confirm_mismatch=True)  # fmt: skip

    assert "expected_version" in refused.value.message_dict
    assert Claim.objects.get(pk=first.pk).value == 63


def test_a_report_moves_to_another_figure_only_by_merging_or_splitting(first, story, reporter):
    crew = FigureFactory(story=story, subject="Ukrainian crew", unit="people")

    with pytest.raises(ValidationError, match="merging or splitting"):
        services.claim_edit(claim=first, actor=reporter, expected_version=first.version,
                            figure=crew, note="Wrong figure.")  # fmt: skip

    assert Claim.objects.get(pk=first.pk).figure_id == first.figure_id


def test_a_report_in_a_chain_of_replacements_keeps_its_figure(first, victims, editor):
    new = report(victims, editor, supersedes=first, supersedes_version=first.version)

    with pytest.raises(ValidationError, match="stays a report"):
        services.claim_edit(claim=new, actor=editor, expected_version=new.version, figure=None)

    assert Claim.objects.get(pk=new.pk).figure_id == victims.pk


def test_a_claim_reporting_nothing_may_be_given_a_figure(story, victims, reporter):
    claim = ClaimFactory(story=story, actor=reporter, text="57 Canadians died on PS752.")

    services.claim_edit(claim=claim, actor=reporter, expected_version=1, figure=victims, value=57)

    claim = Claim.objects.get(pk=claim.pk)
    assert claim.value_display == "57 people"
    edited = claim.revisions.get(number=2)
    assert (edited.kind, edited.after) == (
        "edited", {"figure": victims.pk, "value": 57, "approximation": "exact"},
    )  # fmt: skip


def test_a_value_given_without_a_figure_is_refused_not_dropped(story, reporter):
    claim = ClaimFactory(story=story, actor=reporter, text="57 Canadians died on PS752.")

    with pytest.raises(ValidationError) as refused:
        services.claim_edit(claim=claim, actor=reporter, expected_version=1, value=57)

    assert "figure" in refused.value.message_dict
    assert Claim.objects.get(pk=claim.pk).version == 1


def test_a_report_leaves_its_figure_and_its_value_goes_with_it(first, reporter):
    services.claim_edit(claim=first, actor=reporter, expected_version=first.version, figure=None)

    claim = Claim.objects.get(pk=first.pk)
    assert (claim.figure_id, claim.value, claim.approximation) == (None, None, "")
    edited = claim.revisions.get(number=claim.version)
    assert (edited.kind, edited.before["figure"], edited.after["figure"]) == (
        "edited",
        first.figure_id,
        None,
    )
