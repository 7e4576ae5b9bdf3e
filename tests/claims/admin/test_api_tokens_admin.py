"""API tokens in the admin: a moderator makes one for a user and sees it once; the desk keeps
its hash; revoking it shuts the API to it; no one else manages tokens."""

import re

import pytest
from django.urls import reverse

from claims.models.integrations import ApiToken
from claims.services.api_tokens import hash_token

pytestmark = pytest.mark.django_db

ADD = reverse("admin:claims_apitoken_add")
LIST = reverse("admin:claims_apitoken_changelist")
TOKEN_RE = re.compile(r"<code[^>]*>(cd_[0-9a-f]{8}_[A-Za-z0-9_-]+)</code>")


def test_a_moderator_makes_a_token_that_is_shown_once_and_works(client, moderator, reporter):
    client.force_login(moderator)

    response = client.post(
        ADD, {"user": reporter.pk, "name": "Live blog", "scope": "write", "expires_days": "30"}
    )

    assert response.status_code == 200
    assert "it is shown only this once" in response.text
    [token] = TOKEN_RE.findall(response.text)
    record = ApiToken.objects.get()
    assert (record.user, record.name, record.scope) == (reporter, "Live blog", "write")
    assert record.created_by == moderator and record.expires_at is not None
    assert record.key_hash == hash_token(token) and token not in record.key_hash
    listing = client.get(LIST).text
    assert record.prefix in listing and token not in listing
    page = client.get(reverse("admin:claims_apitoken_change", args=[record.pk])).text
    assert token not in page and record.key_hash not in page
    client.logout()
    api = client.get("/api/v1/claims", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200


def test_revoking_in_the_admin_shuts_the_api_to_the_token(client, moderator, reporter):
    client.force_login(moderator)
    [token] = TOKEN_RE.findall(
        client.post(ADD, {"user": reporter.pk, "name": "Slack bot", "scope": "read"}).text
    )
    record = ApiToken.objects.get()

    client.post(LIST, {"action": "revoke", "_selected_action": [record.pk]})

    record.refresh_from_db()
    assert record.revoked_at is not None
    client.logout()
    refused = client.get("/api/v1/claims", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert refused.status_code == 401


@pytest.mark.parametrize("role", ["editor", "reporter"])
def test_only_moderators_manage_tokens(client, role, request, moderator):
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save()
    client.force_login(user)

    add = client.post(ADD, {"user": user.pk, "name": "Mine", "scope": "write"})
    listing = client.get(LIST)

    assert add.status_code == 403 and listing.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_bad_expiry_is_refused_and_makes_nothing(client, moderator, reporter):
    client.force_login(moderator)

    response = client.post(
        ADD, {"user": reporter.pk, "name": "Live blog", "scope": "read", "expires_days": "0"}
    )

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.text
    assert not ApiToken.objects.exists()
