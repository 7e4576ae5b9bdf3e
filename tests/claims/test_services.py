from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.models import Claim, OutboxEvent, Revision, StatusCount
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_new_claim_starts_unverified_at_version_one_with_created_revision(story, reporter):
    claim = services.claim_create(
        story=story,
        text="63 Canadians were among the victims of flight PS752.",
        actor=reporter,
        quantity_subject="Canadian victims",
        quantity_value=63,
        quantity_unit="people",
    )

    claim.refresh_from_db()
    assert claim.status == "unverified"
    assert claim.version == 1
    assert claim.quantity_value == Decimal("63")
    revision = Revision.objects.get(claim=claim)
    assert (revision.number, revision.kind, revision.actor) == (1, "created", reporter)
    assert revision.after["quantity_value"] == 63
    assert StatusCount.objects.get(story=story, status="unverified").count == 1
