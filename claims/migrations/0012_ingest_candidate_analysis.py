"""Ingest candidates keep what the extractor explains about them: the proposed claim text and
the exact quote, every attribution with the kind of source, the entry's time, and the score in
words. Jobs keep the day and zone their live-blog times are read in.

Candidates extracted before this read as they did: their sentence is both the proposal and the
quote, their one speaker is typed as the desk used to guess it (anonymous when the words say
"official" or "sources", else a person), and their score is banded with the extractor's cut-offs.
"""

from django.db import migrations, models

ANONYMOUS_WORDS = {"official", "officials", "source", "sources", "spokesperson", "aide", "aides"}
HIGH, MEDIUM = 0.6, 0.3


def _kind(name):
    words = {w.lower().strip(".,") for w in name.split()}
    return "anonymous" if words & ANONYMOUS_WORDS else "person"


def _label(score):
    return "high" if score >= HIGH else "medium" if score >= MEDIUM else "low"


def explain_earlier_candidates(apps, schema_editor):
    IngestCandidate = apps.get_model("claims", "IngestCandidate")
    for candidate in IngestCandidate.objects.iterator(chunk_size=500):
        candidate.claim_text = candidate.quote = candidate.sentence
        candidate.score_label = _label(candidate.score)
        if candidate.speaker:
            candidate.speaker_kind = _kind(candidate.speaker)
            candidate.attributions = [
                {"speaker": candidate.speaker, "kind": candidate.speaker_kind, "via": None,
                 "when": None}
            ]  # fmt: skip
        candidate.save(
            update_fields=["claim_text", "quote", "score_label", "speaker_kind", "attributions"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_ingest_candidate_figure"),
    ]

    operations = [
        migrations.AddField(
            model_name="ingestcandidate",
            name="attributions",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="ingestcandidate",
            name="claim_text",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="ingestcandidate",
            name="quote",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="ingestcandidate",
            name="reasons",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="ingestcandidate",
            name="said_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="ingestcandidate",
            name="score_label",
            field=models.CharField(
                blank=True,
                choices=[("high", "High"), ("medium", "Medium"), ("low", "Low")],
                default="low",
                max_length=6,
            ),
        ),
        migrations.AddField(
            model_name="ingestcandidate",
            name="speaker_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("person", "Person"),
                    ("government", "Government or official body"),
                    ("organisation", "Organisation"),
                    ("agency", "News agency"),
                    ("outlet", "News outlet"),
                    ("document", "Document"),
                    ("anonymous", "Anonymous official(s)"),
                ],
                default="",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="ingestjob",
            name="story_date",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="ingestjob",
            name="time_zone",
            field=models.CharField(default="UTC", max_length=64),
        ),
        migrations.RunPython(explain_earlier_candidates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="ingestcandidate",
            constraint=models.CheckConstraint(
                condition=models.Q(("score_label__in", ["high", "medium", "low"])),
                name="candidate_score_label_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="ingestcandidate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "speaker_kind__in",
                        [
                            "",
                            "person",
                            "government",
                            "organisation",
                            "agency",
                            "outlet",
                            "document",
                            "anonymous",
                        ],
                    )
                ),
                name="candidate_speaker_kind_valid",
            ),
        ),
    ]
