"""Ingest candidates name the story's figure they speak of, beside the report they contradict.

Candidates extracted before figures existed point at a claim whose quantity has become a
report: they are linked to that report's figure.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_candidates_to_figures(apps, schema_editor):
    IngestCandidate = apps.get_model("claims", "IngestCandidate")
    Claim = apps.get_model("claims", "Claim")
    figures = models.Subquery(
        Claim.objects.filter(pk=models.OuterRef("conflicting_claim_id")).values("figure_id")[:1]
    )
    IngestCandidate.objects.filter(conflicting_claim__figure__isnull=False).update(figure=figures)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0010_figures'),
    ]

    operations = [
        migrations.AddField(
            model_name='ingestcandidate',
            name='figure',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='claims.figure'),
        ),
        migrations.RunPython(link_candidates_to_figures, migrations.RunPython.noop),
    ]
