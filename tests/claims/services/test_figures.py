"""Naming, renaming, merging and splitting figures: editors only, never from a stale form,
each change recorded in the figure's history and, when reports move, in each claim's."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.models import Claim, Figure, FigureRevision, Revision
from tests.support.factories import FigureFactory, ReportFactory, StoryFactory

pytestmark = pytest.mark.django_db


def history(figure: Figure) -> list[str]:
    return list(figure.revisions.order_by("number").values_list("kind", flat=True))


@pytest.fixture
def victims(story, reporter) -> Figure:
    return FigureFactory(story=story, subject="Canadian victims", unit="people", actor=reporter)


# Naming ---------------------------------------------------------------------------------------


def test_a_reporter_names_a_figure_and_its_first_revision_says_so(story, reporter):
    figure = services.figure_create(
        story=story, subject="  Canadian   citizens killed on PS752 ", actor=reporter,
        unit="people",
    )  # fmt: skip

    figure = Figure.objects.get(pk=figure.pk)
    assert (figure.subject, figure.subject_key) == (
        "Canadian   citizens killed on PS752",
        "canadian citizen killed ps752",
    )
    assert (figure.kind, figure.unit, figure.version) == ("count", "people", 1)
    revision = FigureRevision.objects.get(figure=figure)
    assert (revision.number, revision.kind, revision.actor) == (1, "created", reporter)
    assert revision.after == {
        "subject": "Canadian   citizens killed on PS752",
        "kind": "count",
        "unit": "people",
    }


def test_a_second_figure_of_the_same_subject_in_a_story_is_refused(story, reporter, victims):
    with pytest.raises(ValidationError, match="already has this figure"):
        services.figure_create(story=story, subject="the Canadian victims", actor=reporter)

    assert Figure.objects.filter(story=story).count() == 1


def test_the_same_subject_in_another_story_is_another_figure(victims, reporter):
    other = services.figure_create(story=StoryFactory(), subject="Canadian victims", actor=reporter)

    assert other.subject_key == victims.subject_key
    assert other.pk != victims.pk


@pytest.mark.parametrize(
    ("kind", "unit"),
    [
        ("count", "%"),
        ("count", "km"),
        ("count", "USD"),
        ("count", "hours"),
        ("percentage", "km"),
        ("amount", "people"),
        ("amount", "dollars"),
        ("distance", "hours"),
        ("duration", "km"),
        ("measure", ""),
    ],
)
def test_a_unit_that_does_not_fit_the_kind_is_refused(story, reporter, kind, unit):
    with pytest.raises(ValidationError) as refused:
        services.figure_create(
            story=story, subject="Missiles", actor=reporter, kind=kind, unit=unit
        )

    assert "unit" in refused.value.message_dict
    assert not Figure.objects.exists()


@pytest.mark.parametrize(
    ("kind", "unit", "stored", "shown"),
    [
        ("count", "people", "people", "57 people"),
        ("percentage", "per cent", "%", "57%"),
        ("percentage", "points", "percentage points", "57 percentage points"),
        ("amount", "$", "USD", "57 USD"),
        ("amount", "cad", "CAD", "57 CAD"),
        ("distance", "kilometres", "km", "57 km"),
        ("duration", "hour", "hours", "57 hours"),
        ("measure", "tonnes", "tonnes", "57 tonnes"),
    ],
)
def test_units_are_written_the_desks_way(story, reporter, kind, unit, stored, shown):
    figure = services.figure_create(
        story=story, subject="Measured", actor=reporter, kind=kind, unit=unit
    )

    assert Figure.objects.get(pk=figure.pk).unit == stored
    assert figure.describe(57) == shown


@pytest.mark.parametrize(("subject", "kind"), [("", "count"), ("—", "count"), ("x", "dozens")])
def test_a_figure_needs_a_subject_in_words_and_a_known_kind(story, reporter, subject, kind):
    with pytest.raises(ValidationError):
        services.figure_create(story=story, subject=subject, actor=reporter, kind=kind)

    assert not Figure.objects.exists()


# Renaming -------------------------------------------------------------------------------------


def test_an_editor_renames_a_figure_with_a_revision(editor, victims):
    renamed = services.figure_update(
        figure=victims, actor=editor, expected_version=1,
        subject="Canadian citizens killed on PS752", note="Clearer.",
    )  # fmt: skip

    figure = Figure.objects.get(pk=renamed.pk)
    assert (figure.subject, figure.version) == ("Canadian citizens killed on PS752", 2)
    revision = figure.revisions.get(number=2)
    assert (revision.kind, revision.actor, revision.note) == ("renamed", editor, "Clearer.")
    assert revision.before == {"subject": "Canadian victims"}
    assert revision.after == {"subject": "Canadian citizens killed on PS752"}


def test_changing_the_kind_cleans_the_unit_for_it(editor, story):
    figure = FigureFactory(story=story, subject="Turnout", kind="count", unit="")

    services.figure_update(figure=figure, actor=editor, expected_version=1, kind="percentage")

    figure.refresh_from_db()
    assert (figure.kind, figure.unit) == ("percentage", "%")
    assert figure.revisions.get(number=2).after == {"kind": "percentage", "unit": "%"}


@pytest.mark.parametrize("role", ["reporter", "moderator"])
def test_only_editors_rename_merge_and_split(request, role, story, victims):
    actor = request.getfixturevalue(role)
    other = FigureFactory(story=story, subject="Canadian residents", unit="people")
    a = ReportFactory(figure=victims, value=63)
    ReportFactory(figure=victims, value=57)

    with pytest.raises(PermissionDenied):
        services.figure_update(figure=victims, actor=actor, expected_version=1, subject="Dead")
    with pytest.raises(PermissionDenied):
        services.figure_merge(figure=victims, into=other, actor=actor, expected_version=1)
    with pytest.raises(PermissionDenied):
        services.figure_split(
            figure=victims, claims=[a], subject="Residents", actor=actor, expected_version=1
        )

    assert Figure.objects.get(pk=victims.pk).version == 1
    assert history(victims) == ["created"]
    assert victims.reports.count() == 2


def test_a_rename_from_a_stale_form_is_refused(editor, victims):
    services.figure_update(figure=victims, actor=editor, expected_version=1, subject="Dead")

    with pytest.raises(ValidationError) as refused:
        services.figure_update(figure=victims, actor=editor, expected_version=1, subject="Killed")

    assert "version 1" in refused.value.message_dict["expected_version"][0]
    assert Figure.objects.get(pk=victims.pk).subject == "Dead"


@pytest.mark.parametrize("version", [None, "2", 0, True])
def test_figure_changes_need_the_version_they_started_from(editor, victims, version):
    with pytest.raises(ValidationError) as refused:
        services.figure_update(
            figure=victims, actor=editor, expected_version=version, subject="Dead"
        )

    assert "expected_version" in refused.value.message_dict
    assert Figure.objects.get(pk=victims.pk).subject == "Canadian victims"


def test_a_rename_onto_another_figures_subject_is_refused(editor, story, victims):
    other = FigureFactory(story=story, subject="Ukrainian crew", unit="people")

    with pytest.raises(ValidationError, match="already has this figure"):
        services.figure_update(
            figure=other, actor=editor, expected_version=1, subject="victims from Canada"
        )

    assert Figure.objects.get(pk=other.pk).subject == "Ukrainian crew"


def test_a_rename_that_changes_nothing_is_refused(editor, victims):
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.figure_update(
            figure=victims, actor=editor, expected_version=1, subject="Canadian victims"
        )


# Merging --------------------------------------------------------------------------------------


def test_a_merge_moves_every_report_each_with_its_claims_revision(editor, story, victims):
    dup = FigureFactory(story=story, subject="Canadians killed", unit="people")
    old = ReportFactory(figure=dup, value=63)
    new = ReportFactory(figure=dup, value=57, supersedes=old, supersedes_version=old.version,
                        actor=editor)  # fmt: skip
    kept = ReportFactory(figure=victims, value=57)

    into = services.figure_merge(
        figure=dup, into=victims, actor=editor, expected_version=1, note="Same count."
    )

    assert into == victims
    dup.refresh_from_db()
    assert (dup.merged_into_id, dup.version) == (victims.pk, 2)
    assert set(victims.reports.values_list("pk", flat=True)) == {old.pk, new.pk, kept.pk}
    for claim in (old, new):
        refiled = Revision.objects.get(claim=claim, kind="refiled")
        assert (refiled.before, refiled.after) == ({"figure": dup.pk}, {"figure": victims.pk})
        assert (refiled.actor, refiled.note) == (editor, "Same count.")
    assert not Revision.objects.filter(claim=kept, kind="refiled").exists()
    assert history(dup) == ["created", "merged_into"]
    assert dup.revisions.get(number=2).after == {"into": victims.pk, "reports": [old.pk, new.pk]}
    assert history(victims) == ["created", "absorbed"]
    assert Claim.objects.get(pk=old.pk).superseded_by_id == new.pk


def test_a_merged_figure_takes_no_new_report_even_from_a_form_opened_before(
    editor, reporter, story, victims
):
    dup = FigureFactory(story=story, subject="Canadians killed", unit="people")
    opened = Figure.objects.get(pk=dup.pk)
    services.figure_merge(figure=dup, into=victims, actor=editor, expected_version=1)

    with pytest.raises(ValidationError) as refused:
        ReportFactory(figure=opened, value=57, actor=reporter)
    with pytest.raises(ValidationError):
        services.claim_create(
            story=story, text="57 Canadians died.", actor=reporter, figure=opened, value=57
        )

    assert "merged into “Canadian victims”" in refused.value.message_dict["figure"][0]
    assert not Claim.objects.exists()


def test_a_merged_figure_is_not_renamed_merged_or_split_again(editor, story, victims):
    dup = FigureFactory(story=story, subject="Canadians killed", unit="people")
    third = FigureFactory(story=story, subject="Ukrainian crew", unit="people")
    services.figure_merge(figure=dup, into=victims, actor=editor, expected_version=1)

    with pytest.raises(ValidationError, match="merged into"):
        services.figure_update(figure=dup, actor=editor, expected_version=2, subject="Dead")
    with pytest.raises(ValidationError, match="merged into"):
        services.figure_merge(figure=dup, into=third, actor=editor, expected_version=2)
    with pytest.raises(ValidationError, match="already merged"):
        services.figure_merge(figure=third, into=dup, actor=editor, expected_version=1)

    assert Figure.objects.get(pk=dup.pk).merged_into_id == victims.pk


@pytest.mark.parametrize(
    ("kind", "unit", "message"),
    [("count", "crew", "other units"), ("percentage", "%", "other units")],
)
def test_a_merge_needs_the_same_kind_and_unit(editor, story, victims, kind, unit, message):
    other = FigureFactory(story=story, subject="Deaths", kind=kind, unit=unit)
    report = ReportFactory(figure=other, value=57)

    with pytest.raises(ValidationError, match=message):
        services.figure_merge(figure=other, into=victims, actor=editor, expected_version=1)

    assert Claim.objects.get(pk=report.pk).figure_id == other.pk
    assert Figure.objects.get(pk=other.pk).merged_into_id is None


def test_figures_of_two_stories_or_one_figure_with_itself_do_not_merge(editor, victims):
    elsewhere = FigureFactory(story=StoryFactory(), subject="Canadian victims", unit="people")

    with pytest.raises(ValidationError, match="within one story"):
        services.figure_merge(figure=elsewhere, into=victims, actor=editor, expected_version=1)
    with pytest.raises(ValidationError, match="itself"):
        services.figure_merge(figure=victims, into=victims, actor=editor, expected_version=1)

    assert not Figure.objects.filter(merged_into__isnull=False).exists()


def test_a_merge_from_a_stale_form_moves_nothing(editor, story, victims):
    dup = FigureFactory(story=story, subject="Canadians killed", unit="people")
    report = ReportFactory(figure=dup, value=57)
    services.figure_update(figure=dup, actor=editor, expected_version=1, subject="Killed")

    with pytest.raises(ValidationError) as refused:
        services.figure_merge(figure=dup, into=victims, actor=editor, expected_version=1)

    assert "expected_version" in refused.value.message_dict
    assert Claim.objects.get(pk=report.pk).figure_id == dup.pk
    assert history(victims) == ["created"]


# Splitting ------------------------------------------------------------------------------------


def test_a_split_gives_some_reports_a_figure_of_their_own(editor, story, victims):
    citizens = ReportFactory(figure=victims, value=57)
    residents = ReportFactory(figure=victims, value=82, text="82 Canadian residents died.")

    new = services.figure_split(
        figure=victims, claims=[residents], subject="Canadian residents", actor=editor,
        expected_version=1, note="Residents are another count.",
    )  # fmt: skip

    new = Figure.objects.get(pk=new.pk)
    assert (new.subject, new.kind, new.unit, new.story_id) == (
        "Canadian residents", "count", "people", story.pk,
    )  # fmt: skip
    assert list(new.reports.all()) == [Claim.objects.get(pk=residents.pk)]
    assert list(victims.reports.all()) == [Claim.objects.get(pk=citizens.pk)]
    assert Revision.objects.get(claim=residents, kind="refiled").after == {"figure": new.pk}
    assert history(new) == ["split_from"]
    assert history(victims) == ["created", "split_off"]
    assert Figure.objects.get(pk=victims.pk).version == 2


def test_a_split_never_separates_a_report_from_the_one_it_replaced(editor, victims):
    old = ReportFactory(figure=victims, value=63)
    new = ReportFactory(figure=victims, value=57, supersedes=old, supersedes_version=old.version,
                        actor=editor)  # fmt: skip
    ReportFactory(figure=victims, value=176, text="176 people were aboard.")

    for moved in ([old], [new]):
        with pytest.raises(ValidationError, match="must stay together"):
            services.figure_split(
                figure=victims, claims=moved, subject="Other", actor=editor, expected_version=1
            )

    assert victims.reports.count() == 3
    assert Figure.objects.filter(story=victims.story).count() == 1


def test_a_split_of_every_report_or_of_another_figures_report_is_refused(editor, story, victims):
    only = ReportFactory(figure=victims, value=57)
    stranger = ReportFactory(figure=FigureFactory(story=story, subject="Crew"), value=9)

    with pytest.raises(ValidationError, match="rename the figure"):
        services.figure_split(
            figure=victims, claims=[only], subject="Other", actor=editor, expected_version=1
        )
    with pytest.raises(ValidationError, match="reports of this figure"):
        services.figure_split(
            figure=victims, claims=[stranger], subject="Other", actor=editor, expected_version=1
        )

    assert Figure.objects.filter(story=story).count() == 2


def test_a_split_from_a_stale_form_is_refused(editor, victims):
    ReportFactory(figure=victims, value=57)
    moved = ReportFactory(figure=victims, value=82)
    services.figure_update(figure=victims, actor=editor, expected_version=1, subject="Dead")

    with pytest.raises(ValidationError) as refused:
        services.figure_split(
            figure=victims, claims=[moved], subject="Residents", actor=editor, expected_version=1
        )

    assert "expected_version" in refused.value.message_dict
    assert Claim.objects.get(pk=moved.pk).figure_id == victims.pk


def test_a_source_is_needed_for_every_report(reporter, victims):
    with pytest.raises(ValidationError) as refused:
        services.figure_report(
            figure=victims, value=57, text="57 Canadians died.", source="Champagne",
            said_at=None, quote="", actor=reporter,
        )  # fmt: skip

    assert "source" in refused.value.message_dict
    assert not Claim.objects.exists()
