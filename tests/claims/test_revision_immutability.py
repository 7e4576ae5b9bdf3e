import pytest
from django.db import DatabaseError, connection, transaction

from claims.models import Revision
from tests.support.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_triggers_hold_in_committed_transactions_and_after_the_flush(story, reporter):
    claim = ClaimFactory(story=story, actor=reporter)

    with pytest.raises(DatabaseError, match="append-only"):
        Revision.objects.filter(claim=claim).delete()

    assert Revision.objects.filter(claim=claim).count() == 1


def test_raw_sql_update_of_a_revision_is_refused_by_the_database(story, reporter):
    claim = ClaimFactory(story=story, actor=reporter, text="Original words.")

    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE claims_revision SET note = 'rewritten' WHERE claim_id = %s", [claim.pk]
            )

    assert Revision.objects.get(claim=claim).note == ""


def test_raw_sql_delete_of_a_revision_is_refused_by_the_database(story, reporter):
    claim = ClaimFactory(story=story, actor=reporter)

    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM claims_revision WHERE claim_id = %s", [claim.pk])

    assert Revision.objects.filter(claim=claim).count() == 1


def test_orm_update_of_a_revision_is_refused_too(story, reporter):
    claim = ClaimFactory(story=story, actor=reporter)

    with pytest.raises(DatabaseError), transaction.atomic():
        Revision.objects.filter(claim=claim).update(kind="status")

    assert Revision.objects.get(claim=claim).kind == "created"


@pytest.mark.django_db(transaction=True)
def test_triggers_are_back_for_the_next_transactional_test(story, reporter):
    claim = ClaimFactory(story=story, actor=reporter)

    with pytest.raises(DatabaseError, match="append-only"):
        Revision.objects.filter(claim=claim).update(note="rewritten")

    assert Revision.objects.get(claim=claim).note == ""
