"""A figure's history is append-only in the database itself, as a claim's is: UPDATE and DELETE
of its rows are refused on SQLite and on PostgreSQL, by the ORM and by raw SQL alike."""

import pytest
from django.db import DatabaseError, connection, transaction

from claims import services
from claims.models import FigureRevision
from tests.support.factories import FigureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def renamed(story, editor):
    figure = FigureFactory(story=story, subject="Canadian victims", actor=editor)
    services.figure_update(figure=figure, actor=editor, expected_version=1, subject="Dead")
    return figure


def test_raw_sql_update_of_a_figure_revision_is_refused(renamed):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE claims_figurerevision SET note = 'rewritten' WHERE figure_id = %s",
                [renamed.pk],
            )

    assert list(FigureRevision.objects.filter(figure=renamed).values_list("note", flat=True)) == [
        "",
        "",
    ]


def test_raw_sql_delete_of_a_figure_revision_is_refused(renamed):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM claims_figurerevision WHERE figure_id = %s", [renamed.pk])

    assert FigureRevision.objects.filter(figure=renamed).count() == 2


def test_orm_update_and_delete_of_a_figure_revision_are_refused(renamed):
    with pytest.raises(DatabaseError), transaction.atomic():
        FigureRevision.objects.filter(figure=renamed).update(kind="created")
    with pytest.raises(DatabaseError), transaction.atomic():
        FigureRevision.objects.filter(figure=renamed).delete()

    kinds = FigureRevision.objects.filter(figure=renamed).values_list("kind", flat=True)
    assert list(kinds.order_by("number")) == ["created", "renamed"]


@pytest.mark.django_db(transaction=True)
def test_the_figure_history_triggers_hold_in_committed_transactions(story, editor):
    figure = FigureFactory(story=story, subject="Canadian victims", actor=editor)

    with pytest.raises(DatabaseError, match="append-only"):
        FigureRevision.objects.filter(figure=figure).delete()

    assert FigureRevision.objects.filter(figure=figure).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_figure_history_triggers_are_back_after_a_transactional_flush(story, editor):
    figure = FigureFactory(story=story, subject="Canadian victims", actor=editor)

    with pytest.raises(DatabaseError, match="append-only"):
        FigureRevision.objects.filter(figure=figure).update(note="rewritten")

    assert FigureRevision.objects.get(figure=figure).note == ""
