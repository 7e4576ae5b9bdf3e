"""The figures migration turns each claim's old quantity into a report of a figure, grouped by
story and normalised subject, records it on both, keeps the histories append-only, and can
be reversed. Each test leaves the database migrated to the latest state."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("claims", "0009_ruled_edits_and_redactions")]
AFTER = [("claims", "0010_figures")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    """Migrate to ``targets`` and return the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0009():
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def legacy_claims(apps) -> dict:
    """Claims with the old quantity fields, as the desk kept them before figures."""
    Story = apps.get_model("claims", "Story")
    Claim = apps.get_model("claims", "Claim")
    User = apps.get_model("auth", "User")
    reporter = User.objects.create(username="legacy-reporter")
    ps752 = Story.objects.create(title="PS752", slug="ps752", is_public=True)
    other = Story.objects.create(title="Another story", slug="another")
    now = timezone.now()

    def claim(story, text, subject="", value=None, unit=""):
        return Claim.objects.create(
            story=story, text=text, quantity_subject=subject, quantity_value=value,
            quantity_unit=unit, created_by=reporter, changed_at=now,
        )  # fmt: skip

    return {
        "first": claim(ps752, "63 Canadians died.", "Canadian victims", Decimal(63), "people"),
        "second": claim(ps752, "57 Canadians died.", "the Canadian victims", Decimal(57)),
        "elsewhere": claim(other, "Two Canadians died.", "Canadian victims", Decimal(2), "people"),
        "percent": claim(ps752, "Turnout was 12.5%.", "Turnout", Decimal("12.5"), "%"),
        "unnamed": claim(ps752, "Nine were crew.", "", Decimal(9)),
        "other_unit": claim(ps752, "They fell 4 km away.", "Canadian victims", Decimal(4), "km"),
        "plain": claim(ps752, "The plane was shot down."),
        "reporter": reporter,
    }


def assert_append_only(apps, model: str, **row) -> None:
    table = apps.get_model("claims", model)._meta.db_table
    column, value = next(iter(row.items()))
    for statement in (f"UPDATE {table} SET note = 'rewritten' WHERE {column} = %s",
                      f"DELETE FROM {table} WHERE {column} = %s"):  # fmt: skip
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [value])


def test_quantities_become_reports_of_figures_grouped_by_story_and_subject(at_0009):
    legacy = legacy_claims(at_0009)

    apps = migrate(AFTER)

    Claim = apps.get_model("claims", "Claim")
    Figure = apps.get_model("claims", "Figure")
    figures = {
        (f.story.slug, f.subject): (f.subject_key, f.kind, f.unit)
        for f in Figure.objects.select_related("story")
    }
    assert figures == {
        ("ps752", "Canadian victims"): ("canadian victim", "count", "people"),
        ("ps752", "Canadian victims (km)"): ("canadian victim (km)", "distance", "km"),
        ("ps752", "Turnout"): ("turnout", "percentage", "%"),
        ("ps752", "Unnamed figure"): ("unnamed", "count", ""),
        ("another", "Canadian victims"): ("canadian victim", "count", "people"),
    }
    reports = {
        name: Claim.objects.select_related("figure").get(pk=legacy[name].pk)
        for name in ("first", "second", "elsewhere", "percent", "unnamed", "other_unit")
    }
    assert reports["first"].figure_id == reports["second"].figure_id
    assert reports["elsewhere"].figure_id != reports["first"].figure_id
    assert {n: (r.figure.subject, r.value, r.approximation) for n, r in reports.items()} == {
        "first": ("Canadian victims", 63, "exact"),
        "second": ("Canadian victims", 57, "exact"),
        "elsewhere": ("Canadian victims", 2, "exact"),
        "percent": ("Turnout", Decimal("12.5"), "exact"),
        "unnamed": ("Unnamed figure", 9, "exact"),
        "other_unit": ("Canadian victims (km)", 4, "exact"),
    }
    plain = Claim.objects.get(pk=legacy["plain"].pk)
    assert (plain.figure_id, plain.value, plain.approximation, plain.version) == (None, None, "", 1)


def test_each_claim_and_each_figure_records_the_change(at_0009):
    legacy = legacy_claims(at_0009)

    apps = migrate(AFTER)

    Claim = apps.get_model("claims", "Claim")
    Revision = apps.get_model("claims", "Revision")
    FigureRevision = apps.get_model("claims", "FigureRevision")
    second = Claim.objects.get(pk=legacy["second"].pk)
    refiled = Revision.objects.get(claim_id=second.pk)
    assert (refiled.kind, refiled.number, second.version) == ("refiled", 2, 2)
    assert refiled.before == {
        "quantity_subject": "the Canadian victims", "quantity_value": 57, "quantity_unit": "",
    }  # fmt: skip
    assert refiled.after == {"figure": second.figure_id, "value": 57, "approximation": "exact"}
    percent = Revision.objects.get(claim_id=legacy["percent"].pk)
    assert percent.before["quantity_value"] == 12.5
    assert Revision.objects.filter(kind="refiled").count() == 6
    assert not Revision.objects.filter(claim_id=legacy["plain"].pk).exists()
    created = FigureRevision.objects.order_by("figure_id")
    assert [(r.number, r.kind) for r in created] == [(1, "created")] * 5
    victims = created.get(figure_id=second.figure_id)
    assert victims.after == {"subject": "Canadian victims", "kind": "count", "unit": "people"}
    assert_append_only(apps, "FigureRevision", figure_id=second.figure_id)
    assert_append_only(apps, "Revision", claim_id=second.pk)


def test_moderators_may_read_figures_and_editors_manage_them_after_the_migration(at_0009):
    apps = migrate(AFTER)

    Group = apps.get_model("auth", "Group")
    held = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert {"view_figure", "view_figurerevision"} <= held["moderator"]
    assert "manage_figure" in held["editor"]
    assert "manage_figure" not in held["reporter"] | held["moderator"]


def test_the_migration_reverses_to_the_quantities(at_0009):
    legacy = legacy_claims(at_0009)
    migrate(AFTER)

    apps = migrate(BEFORE)

    Claim = apps.get_model("claims", "Claim")
    quantities = {
        name: Claim.objects.values_list("quantity_subject", "quantity_value", "quantity_unit").get(
            pk=legacy[name].pk
        )
        for name in ("first", "second", "percent", "plain")
    }
    assert quantities == {
        "first": ("Canadian victims", 63, "people"),
        "second": ("Canadian victims", 57, "people"),
        "percent": ("Turnout", Decimal("12.5"), "%"),
        "plain": ("", None, ""),
    }
    assert "claims_figure" not in connection.introspection.table_names()
    assert_append_only(apps, "Revision", claim_id=legacy["first"].pk)
