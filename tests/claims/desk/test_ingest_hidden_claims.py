"""A claim moderators hid stays out of a reporter's sight on the ingest page too: no text,
no figure, and no merge into it."""

import pytest
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Claim, IngestCandidate
from claims.services import ingest
from tests.support.factories import ClaimFactory

pytestmark = pytest.mark.django_db

CORRECTION = (
    "Canada's Foreign Minister Francois-Philippe Champagne said in a news conference on Friday "
    "that the number of Canadian victims from Ukrainian International Airlines flight PS752 "
    "is 57, not 63 as was first stated."
)


@pytest.fixture
def hidden_63(story, editor, moderator):
    claim = ClaimFactory(
        story=story,
        actor=editor,
        text="Unreleased: Canada counts 63 of its citizens among the dead.",
        quantity_subject="Canadian victims",
        quantity_value=63,
        quantity_unit="people",
    )
    return claim


def test_a_reporter_sees_no_hidden_claim_on_the_ingest_page_and_cannot_merge_into_it(
    story, reporter, moderator, hidden_63, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest.ingest_job_create(story=story, text=CORRECTION, actor=reporter)
    candidate = IngestCandidate.objects.get(job=job)
    assert candidate.conflicting_claim == hidden_63
    services.claim_hide(claim=hidden_63, actor=moderator)
    client = Client()
    client.force_login(reporter)

    page = client.get(reverse("ingest_detail", args=[job.pk])).text
    merged = client.post(
        reverse("ingest_decide", args=[candidate.pk, "merge"]),
        {"version": Claim.objects.get(pk=hidden_63.pk).version},
        follow=True,
    )

    assert f"claim #{hidden_63.pk}" not in page
    assert "Unreleased" not in page
    assert "There is no existing claim to merge this sentence into." in merged.text
    assert Claim.objects.get(pk=hidden_63.pk).quantity_value == 63
    assert IngestCandidate.objects.get(pk=candidate.pk).decision == "open"
