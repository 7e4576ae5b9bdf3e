"""Request bodies over the configured limits are refused before anything is written."""

import pytest
from django.conf import settings

from claims.models import Claim, Revision
from tests.support.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def _admin_editor(client, editor):
    editor.is_staff = True
    editor.save(update_fields=["is_staff"])
    client.force_login(editor)


def test_a_body_over_the_size_limit_is_refused_and_changes_nothing(client, editor, story):
    claim = ClaimFactory(story=story)
    _admin_editor(client, editor)
    huge_note = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post(
        "/admin/claims/claim/",
        {"action": "set_status", "_selected_action": [claim.pk], "status": "in_review",
         "note": huge_note, "index": "0"},
    )  # fmt: skip

    assert response.status_code in (400, 413)
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("unverified", 1)
    assert Revision.objects.filter(claim=claim).count() == 1


def test_a_body_just_under_the_limit_still_reaches_the_service(client, editor, story):
    claim = ClaimFactory(story=story)
    _admin_editor(client, editor)

    response = client.post(
        "/admin/claims/claim/",
        {"action": "set_status", "_selected_action": [claim.pk], "status": "in_review",
         "note": "Checking the passenger manifest.", "index": "0"},
    )  # fmt: skip

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_too_many_form_fields_are_refused_and_change_nothing(client, editor, story):
    claim = ClaimFactory(story=story)
    _admin_editor(client, editor)
    many_ids = [claim.pk] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)

    response = client.post(
        "/admin/claims/claim/",
        {"action": "set_status", "_selected_action": many_ids, "status": "in_review",
         "note": "", "index": "0"},
    )  # fmt: skip

    assert response.status_code == 400
    assert Claim.objects.get(pk=claim.pk).version == 1


def test_an_oversized_log_in_body_is_refused(client, editor):
    response = client.post(
        "/login/",
        {"username": editor.username, "password": "p" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
    )

    assert response.status_code in (400, 413)
    assert "_auth_user_id" not in client.session
