"""Figures: a story's numbers become things of their own, with a series of reports.

Each claim's quantity (subject, value, unit) becomes a report of a figure: claims of one story
whose subjects normalise alike report one figure. Each claim so refiled gets its revision,
each new figure its first revision, and the figure history is append-only like the claims'.
"""

import django.db.models.deletion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import migrations, models
from django.utils import timezone

from claims.access import install_roles
from claims.lib.extraction import subject_key
from claims.models import triggers as db_triggers
from claims.validation import clean_unit

_MEASURES = ("percentage", "distance", "duration")


def _kind_for(unit: str) -> tuple[str, str]:
    """The kind of figure a legacy unit reads as, and the unit written that kind's way; a
    claim with no unit counted something it did not name."""
    if not unit:
        return "count", ""
    for kind in _MEASURES:
        try:
            return kind, clean_unit(kind, unit)
        except ValidationError:
            continue
    if len(unit) == 3 and unit.isupper() or unit in ("$", "£", "€"):
        return "amount", clean_unit("amount", unit)
    return "count", unit[:50]


def _groups(claims) -> dict:
    """The figures to make, each with its claims: one per story and normalised subject, and
    one more for each other unit the subject was given in ("12 people", "12%")."""
    by_subject: dict = {}
    for claim in claims:
        subject = " ".join(claim.quantity_subject.split()) or "Unnamed figure"
        key = subject_key(subject)[:200] or "unnamed figure"
        by_subject.setdefault((claim.story_id, key), []).append((subject, claim))
    groups: dict = {}
    for (story_id, key), members in by_subject.items():
        subject = members[0][0]  # as the first claim worded it
        units = [c.quantity_unit.strip() for _, c in members if c.quantity_unit.strip()]
        main = _kind_for(units[0]) if units else ("count", "")
        for _, claim in members:
            unit = claim.quantity_unit.strip()
            kind, unit = _kind_for(unit) if unit else main
            if (kind, unit) == main:
                named = (story_id, subject, key, kind, unit)
            else:
                shown = unit or kind
                named = (story_id, f"{subject} ({shown})", f"{key} ({shown})"[:200], kind, unit)
            groups.setdefault(named, []).append(claim)
    return groups


def figures_from_quantities(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Figure = apps.get_model("claims", "Figure")
    FigureRevision = apps.get_model("claims", "FigureRevision")
    Revision = apps.get_model("claims", "Revision")
    now = timezone.now()
    quantified = Claim.objects.filter(quantity_value__isnull=False).order_by("story_id", "id")
    for (story_id, subject, key, kind, unit), claims in _groups(quantified.iterator()).items():
        figure = Figure.objects.create(
            story_id=story_id, subject=subject[:200], subject_key=key, kind=kind, unit=unit,
            created_by_id=claims[0].created_by_id,
        )  # fmt: skip
        FigureRevision.objects.create(
            figure=figure, number=1, kind="created", created_at=now,
            after={"subject": figure.subject, "kind": kind, "unit": unit},
            note="Made from the quantities its claims carried.",
        )  # fmt: skip
        for claim in claims:
            _refile(claim, figure, Revision, now)


def _refile(claim, figure, Revision, now) -> None:
    value = claim.quantity_value
    before = {
        "quantity_subject": claim.quantity_subject,
        "quantity_value": int(value) if value == value.to_integral_value() else float(value),
        "quantity_unit": claim.quantity_unit,
    }
    claim.figure = figure
    claim.value = value
    claim.approximation = "exact"
    claim.version += 1
    claim.save(update_fields=["figure", "value", "approximation", "version"])
    Revision.objects.create(
        claim=claim, number=claim.version, kind="refiled", created_at=now, before=before,
        after={"figure": figure.pk, "value": before["quantity_value"], "approximation": "exact"},
        note=f"The claim's quantity became a report of the figure “{figure.subject}”.",
    )  # fmt: skip


def quantities_from_figures(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    for claim in Claim.objects.filter(figure__isnull=False).select_related("figure"):
        claim.quantity_subject = claim.figure.subject
        claim.quantity_value = claim.value
        claim.quantity_unit = claim.figure.unit
        claim.figure = None
        claim.value = claim.value_high = None
        claim.approximation = ""
        claim.save(update_fields=[
            "quantity_subject", "quantity_value", "quantity_unit", "figure", "value",
            "value_high", "approximation",
        ])  # fmt: skip


def install_history_triggers(apps, schema_editor):
    db_triggers.install_figure_history(schema_editor.connection)
    # SQLite rebuilds the tables this migration alters, and a rebuild drops their triggers.
    if schema_editor.connection.vendor == "sqlite":
        db_triggers.install(schema_editor.connection)


def uninstall_history_triggers(apps, schema_editor):
    db_triggers.uninstall_figure_history(schema_editor.connection)


def grant_figure_management(apps, schema_editor):
    """Editors rename, merge and split figures: create the permission, refresh the roles."""
    install_roles(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0009_ruled_edits_and_redactions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Figure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(max_length=200)),
                ('subject_key', models.CharField(max_length=200)),
                ('kind', models.CharField(choices=[('count', 'Count'), ('amount', 'Amount of money'), ('percentage', 'Percentage'), ('distance', 'Distance'), ('duration', 'Duration'), ('measure', 'Other measure')], default='count', max_length=12)),
                ('unit', models.CharField(blank=True, max_length=50)),
                ('version', models.PositiveIntegerField(default=1)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('changed_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                ('merged_into', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged', to='claims.figure')),
                ('story', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='figures', to='claims.story')),
            ],
            options={
                'ordering': ['story', 'subject', 'id'],
                'permissions': [('manage_figure', 'Can rename, merge and split figures')],
            },
        ),
        migrations.CreateModel(
            name='FigureRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('kind', models.CharField(choices=[('created', 'Created'), ('renamed', 'Renamed'), ('merged_into', 'Merged into another figure'), ('absorbed', "Took in another figure's reports"), ('split_from', 'Split off another figure'), ('split_off', 'Gave reports to a new figure')], max_length=12)),
                ('created_at', models.DateTimeField()),
                ('before', models.JSONField(blank=True, default=dict)),
                ('after', models.JSONField(blank=True, default=dict)),
                ('note', models.TextField(blank=True, max_length=5000)),
            ],
            options={
                'ordering': ['figure', 'number'],
            },
        ),
        migrations.AddField(
            model_name='figurerevision',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='figurerevision',
            name='figure',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revisions', to='claims.figure'),
        ),
        migrations.AddField(
            model_name='claim',
            name='figure',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reports', to='claims.figure'),
        ),
        migrations.AddField(
            model_name='claim',
            name='value',
            field=models.DecimalField(blank=True, decimal_places=6, max_digits=24, null=True),
        ),
        migrations.AddField(
            model_name='claim',
            name='value_high',
            field=models.DecimalField(blank=True, decimal_places=6, max_digits=24, null=True),
        ),
        migrations.AddField(
            model_name='claim',
            name='approximation',
            field=models.CharField(blank=True, choices=[('exact', 'Exactly'), ('about', 'About'), ('at_least', 'At least'), ('at_most', 'At most'), ('range', 'Between')], default='', max_length=10),
        ),
        migrations.AlterField(
            model_name='revision',
            name='kind',
            field=models.CharField(choices=[('created', 'Created'), ('edited', 'Edited'), ('minor_edit', 'Minor edit, ruling kept'), ('status', 'Status changed'), ('evidence', 'Evidence added'), ('attribution', 'Attribution added'), ('superseded', 'Superseded'), ('merged', 'Merged'), ('hidden', 'Hidden'), ('unhidden', 'Unhidden'), ('assigned', 'Assigned'), ('redacted', 'Redacted'), ('value_fixed', 'Figure typo corrected'), ('refiled', 'Moved to another figure')], max_length=20),
        ),
        migrations.RunPython(figures_from_quantities, quantities_from_figures),
        migrations.RemoveField(
            model_name='claim',
            name='quantity_subject',
        ),
        migrations.RemoveField(
            model_name='claim',
            name='quantity_unit',
        ),
        migrations.RemoveField(
            model_name='claim',
            name='quantity_value',
        ),
        migrations.AddConstraint(
            model_name='claim',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('approximation', ''), ('figure__isnull', True), ('value__isnull', True), ('value_high__isnull', True)), models.Q(('approximation__in', ['exact', 'about', 'at_least', 'at_most']), ('figure__isnull', False), ('value__isnull', False), ('value_high__isnull', True)), models.Q(('approximation', 'range'), ('figure__isnull', False), ('value__isnull', False), ('value_high__gte', models.F('value')), ('value_high__isnull', False)), _connector='OR'), name='claim_report_complete'),
        ),
        migrations.AddConstraint(
            model_name='figure',
            constraint=models.UniqueConstraint(condition=models.Q(('merged_into__isnull', True)), fields=('story', 'subject_key'), name='figure_subject_unique_in_story'),
        ),
        migrations.AddConstraint(
            model_name='figure',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['count', 'amount', 'percentage', 'distance', 'duration', 'measure'])), name='figure_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='figure',
            constraint=models.CheckConstraint(condition=models.Q(('merged_into', models.F('id')), _negated=True), name='figure_not_merged_into_self'),
        ),
        migrations.AddConstraint(
            model_name='figure',
            constraint=models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='figure_version_gte_1'),
        ),
        migrations.AddConstraint(
            model_name='figurerevision',
            constraint=models.UniqueConstraint(fields=('figure', 'number'), name='figure_revision_unique'),
        ),
        migrations.RunPython(install_history_triggers, uninstall_history_triggers),
        migrations.RunPython(grant_figure_management, migrations.RunPython.noop),
    ]
