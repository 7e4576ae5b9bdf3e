"""The sources app on its own: its services validate, and know nothing of who asks."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from sources import services
from sources.models import Source

pytestmark = pytest.mark.django_db


def test_a_source_is_created_with_its_name_trimmed():
    source = services.source_create(name="  Bellingcat ", kind=Source.Kind.ORGANISATION)

    assert (source.name, source.kind) == ("Bellingcat", "organisation")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Reuters", "kind": "wire"}, "kind"),
        ({"name": "Reuters", "homepage": "javascript:alert(1)"}, "homepage"),
        ({"name": "Reuters\x00"}, "name"),
        ({"name": "Reuters", "description": 42}, "description"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(fields, field):
    with pytest.raises(ValidationError) as refused:
        services.source_create(**fields)

    assert field in refused.value.message_dict
    assert not Source.objects.exists()


def test_an_update_renames_and_refuses_a_name_taken_in_another_case():
    reuters = services.source_create(name="Reuters", kind=Source.Kind.AGENCY)
    ap = services.source_create(name="AP", kind=Source.Kind.AGENCY)

    renamed = services.source_update(source=ap, name="Associated Press", kind=Source.Kind.AGENCY)
    with pytest.raises(ValidationError):
        services.source_update(source=renamed, name="REUTERS", kind=Source.Kind.AGENCY)

    assert Source.objects.get(pk=ap.pk).name == "Associated Press"
    assert Source.objects.get(pk=reuters.pk).name == "Reuters"


def test_a_source_is_found_by_name_whatever_the_case():
    existing = services.source_create(name="Justin Trudeau")

    assert services.source_named("justin trudeau") == existing
    assert services.source_named("  JUSTIN TRUDEAU ") == existing
    assert services.source_named("Volodymyr Zelenskiy") is None
    assert services.source_named("x" * 100_000) is None


def test_a_source_is_born_with_a_first_revision_and_each_change_adds_one(moderator):
    source = services.source_create(name="Foreign minister", actor=moderator)

    services.source_update(
        source=source, name="François-Philippe Champagne", kind="person", actor=moderator
    )
    services.source_update(source=source, name="François-Philippe Champagne", kind="person")

    revisions = list(source.revisions.order_by("number").values("number", "before", "after"))
    assert [r["number"] for r in revisions] == [1, 2]
    assert revisions[1]["before"] == {"name": "Foreign minister"}
    assert revisions[1]["after"] == {"name": "François-Philippe Champagne"}


@pytest.mark.parametrize("statement", ["UPDATE", "DELETE"])
def test_the_database_refuses_to_rewrite_a_sources_history(statement):
    source = services.source_create(name="Reuters", kind=Source.Kind.AGENCY)
    revision = source.revisions.get()
    sql = {
        "UPDATE": "UPDATE sources_sourcerevision SET after = '{}' WHERE id = %s",
        "DELETE": "DELETE FROM sources_sourcerevision WHERE id = %s",
    }[statement]

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [revision.pk])

    assert source.revisions.get().after["name"] == "Reuters"
