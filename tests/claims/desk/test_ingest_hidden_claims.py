"""A report moderators hid stays out of a reporter's sight on the ingest page too: no text,
no value, not what the figure stands at, and no new value replacing it."""

import pytest
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Claim, IngestCandidate
from claims.services import ingest
from tests.support.factories import FigureFactory, ReportFactory, SourceFactory

pytestmark = pytest.mark.django_db

CORRECTION = (
    "Canada's Foreign Minister Francois-Philippe Champagne said in a news conference on Friday "
    "that the number of Canadian victims from Ukrainian International Airlines flight PS752 "
    "is 57, not 63 as was first stated."
)


@pytest.fixture
def victims(story, editor):
    return FigureFactory(story=story, subject="Canadian victims", unit="people", actor=editor)


@pytest.fixture
def hidden_63(victims, editor):
    return ReportFactory(
        figure=victims,
        value=63,
        actor=editor,
        source=SourceFactory(name="Francois-Philippe Champagne"),
        text="Unreleased: Canada counts 63 of its citizens among the dead.",
    )


def test_a_reporter_sees_no_hidden_report_on_the_ingest_page_and_cannot_replace_it(
    story,
    reporter,
    moderator,
    victims,
    hidden_63,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest.ingest_job_create(story=story, text=CORRECTION, actor=reporter)
    candidate = IngestCandidate.objects.get(job=job)
    assert candidate.conflicting_claim == hidden_63
    services.claim_hide(claim=hidden_63, actor=moderator)
    client = Client()
    client.force_login(reporter)

    page = client.get(reverse("ingest_detail", args=[job.pk])).text
    replaced = client.post(
        reverse("ingest_decide", args=[candidate.pk, "report"]),
        {
            "claim_text": candidate.claim_text,
            "supersedes_version": Claim.objects.get(pk=hidden_63.pk).version,
        },
        follow=True,
    )

    assert f"claim #{hidden_63.pk}" not in page
    assert "Unreleased" not in page and "63 people" not in page
    assert "Report a new value" not in page
    assert "with no standing report" in page  # the figure, as far as the reporter can see
    assert "There is no report for this sentence to replace" in replaced.text
    hidden = Claim.objects.get(pk=hidden_63.pk)
    assert (hidden.status, hidden.superseded_by) == ("unverified", None)
    assert not Claim.objects.filter(figure=victims, value=57).exists()
    assert IngestCandidate.objects.get(pk=candidate.pk).decision == "open"
