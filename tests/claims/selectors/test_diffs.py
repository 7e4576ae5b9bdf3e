import pytest

from claims.models import Claim, Figure, Revision
from claims.selectors.diffs import Names, revision_changes, revision_names, word_diff
from tests.support.factories import FigureFactory
from tests.support.public import toll_pair


def test_a_quantity_edit_written_before_figures_still_reads_as_old_arrow_new():
    changes = revision_changes({"quantity_value": 63}, {"quantity_value": 57})

    assert [(c.label, c.before, c.after) for c in changes] == [("Quantity", "63", "57")]


def test_text_edit_strikes_old_words_and_marks_new_ones():
    segments = word_diff("63 Canadians died on PS752", "57 Canadians died on PS752")

    assert [(s.kind, s.text) for s in segments] == [
        ("removed", "63"),
        ("added", "57"),
        ("same", "Canadians died on PS752"),
    ]


def test_public_changes_leave_out_internal_fields():
    changes = revision_changes(
        {"status": "in_review", "assignee": "rita"},
        {"status": "confirmed", "assignee": "eddie"},
        public=True,
    )

    assert [(c.field, c.before, c.after) for c in changes] == [("status", "In review", "Confirmed")]


def test_a_report_value_fix_reads_with_the_new_labels():
    changes = revision_changes(
        {"value": 63, "approximation": "exact", "value_high": None},
        {"value": 40, "approximation": "range", "value_high": 50},
    )

    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Value", "63", "40"),
        ("Approximation", "Exactly", "Between"),
        ("Top of the range", "—", "50"),
    ]


def test_a_figure_and_a_replacing_claim_read_by_name_not_by_id():
    names = Names(figures={7: "Canadian citizens killed"}, claims={22: ("57 died.", "/c/22/x/")})

    changes = revision_changes(
        {"figure": None, "superseded_by": None},
        {"figure": 7, "superseded_by": 22},
        public=True,
        names=names,
    )

    assert [(c.label, c.after, c.after_url) for c in changes] == [
        ("Figure", "Canadian citizens killed", ""),
        ("Replaced by", "57 died.", "/c/22/x/"),
    ]


def test_a_replacing_claim_a_reader_may_not_see_is_not_named():
    changes = revision_changes({}, {"superseded_by": 22}, public=True, names=Names())

    assert [(c.after, c.after_url) for c in changes] == [("a newer claim", "")]


def test_public_changes_keep_the_figure_fields_and_drop_the_desk_ones():
    changes = revision_changes(
        {}, {"value": 57, "mismatch_confirmed": True, "figure": 3}, public=True
    )

    assert [c.field for c in changes] == ["figure", "value"]


@pytest.mark.django_db
def test_revision_names_reads_each_kind_of_id_in_one_query(
    story, editor, django_assert_num_queries
):
    figure = FigureFactory(story=story, subject="People aboard PS752", actor=editor)
    other = FigureFactory(story=story, subject="Missiles launched", unit="", actor=editor)
    old, new = toll_pair(story, editor)
    revisions = list(Revision.objects.filter(claim__in=[old, new]).order_by("id"))
    revisions.append(Revision(before={"figure": figure.pk}, after={"figure": other.pk}))

    with django_assert_num_queries(2):
        names = revision_names(
            revisions,
            figures=Figure.objects.filter(story=story),
            claims=Claim.objects.filter(is_hidden=False),
            public=True,
        )
    with django_assert_num_queries(0):
        known = revision_names(
            [revisions[-1]], figures=Figure.objects.all(), claims=Claim.objects.all(),
            public=True, known=[figure, other],
        )  # fmt: skip

    assert names.figures[figure.pk] == "People aboard PS752"
    assert names.figures[old.figure_id] == "Canadian citizens killed on PS752"
    assert names.claims[new.pk] == (new.text, new.get_public_url())
    assert known.figures == {figure.pk: "People aboard PS752", other.pk: "Missiles launched"}


def test_without_names_read_for_a_reader_ids_show_as_numbers():
    changes = revision_changes({"figure": 3}, {"figure": 4, "superseded_by": 22})

    assert [c.after for c in changes] == ["figure #4", "claim #22"]
