"""Stories keep their time zone (an IANA name; the newsroom's for the stories already here),
whether and when they were closed, a version that refuses stale settings forms, and an
append-only history of their changes.

Stories started before this get their history's first row, "created", as they stand now.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import claims.models.claims
from claims.models import triggers as db_triggers


def _snapshot(story):
    return {
        "title": story.title,
        "slug": story.slug,
        "description": story.description,
        "time_zone": story.time_zone,
        "is_public": story.is_public,
        "closed": story.closed_at is not None,
    }


def record_existing_stories(apps, schema_editor):
    Story = apps.get_model("claims", "Story")
    StoryRevision = apps.get_model("claims", "StoryRevision")
    StoryRevision.objects.bulk_create(
        [
            StoryRevision(
                story=story, number=1, kind="created", created_at=story.created_at,
                after=_snapshot(story),
            )
            for story in Story.objects.order_by("pk").iterator(chunk_size=500)
        ],
        batch_size=500,
    )  # fmt: skip


def install_history_triggers(apps, schema_editor):
    db_triggers.install_story_history(schema_editor.connection)


def uninstall_history_triggers(apps, schema_editor):
    db_triggers.uninstall_story_history(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0012_ingest_candidate_analysis'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StoryRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('kind', models.CharField(choices=[('created', 'Created'), ('edited', 'Renamed or described'), ('time_zone', 'Time zone changed'), ('published', 'Made public'), ('unpublished', 'Made private'), ('closed', 'Closed'), ('reopened', 'Reopened')], max_length=12)),
                ('created_at', models.DateTimeField()),
                ('before', models.JSONField(blank=True, default=dict)),
                ('after', models.JSONField(blank=True, default=dict)),
            ],
            options={
                'ordering': ['story', 'number'],
            },
        ),
        migrations.AddField(
            model_name='story',
            name='closed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='story',
            name='time_zone',
            field=models.CharField(default=claims.models.claims.default_time_zone, max_length=64, validators=[claims.models.claims.validate_time_zone]),
        ),
        migrations.AddField(
            model_name='story',
            name='version',
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddConstraint(
            model_name='story',
            constraint=models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='story_version_gte_1'),
        ),
        migrations.AddField(
            model_name='storyrevision',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='storyrevision',
            name='story',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='revisions', to='claims.story'),
        ),
        migrations.AddConstraint(
            model_name='storyrevision',
            constraint=models.UniqueConstraint(fields=('story', 'number'), name='story_revision_unique'),
        ),
        migrations.AddConstraint(
            model_name='storyrevision',
            constraint=models.CheckConstraint(condition=models.Q(('number__gte', 1)), name='story_revision_number_gte_1'),
        ),
        migrations.RunPython(record_existing_stories, migrations.RunPython.noop),
        migrations.RunPython(install_history_triggers, uninstall_history_triggers),
    ]
