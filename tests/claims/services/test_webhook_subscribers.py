"""Webhook subscribers in the admin: URLs vetted when saved, secrets made by the desk and
shown once, rotated with a day's grace."""

import base64
import re
import socket
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from claims.models import WebhookSubscriber
from claims.services import delivery, subscribers

OLD_SECRET = "old-partner-secret-6f1d"


@pytest.fixture(autouse=True)
def no_connections(monkeypatch):
    """Saving a subscriber vets its URL; it never connects anywhere."""

    def refuse(sock, address):
        raise AssertionError(f"saving a subscriber connected to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def _form(url: str, **extra) -> dict:
    return {"name": "Partner desk", "url": url, "is_active": "on", **extra}


def _add(client, data: dict):
    return client.post(reverse("admin:claims_webhooksubscriber_add"), data)


@pytest.fixture
def subscriber(db):
    return WebhookSubscriber.objects.create(
        name="Partner desk", url="http://127.0.0.1:8765/hooks", secret=OLD_SECRET
    )


# --- finding 4: a URL on a private address cannot be saved --------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/internal",
        "http://10.0.0.5/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9000/hooks",
        "http://[::ffff:10.0.0.1]/hooks",
    ],
)
def test_moderator_cannot_save_a_subscriber_on_a_private_address(client, moderator, url):
    client.force_login(moderator)

    response = _add(client, _form(url))

    assert response.status_code == 200
    assert "Webhooks cannot be sent to this URL (refused: private address)." in (
        response.content.decode()
    )
    assert not WebhookSubscriber.objects.exists()


def test_a_local_receiver_can_be_saved_where_loopback_is_allowed(client, moderator, settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    client.force_login(moderator)

    response = _add(client, _form("http://127.0.0.1:8080/hooks"))

    assert response.status_code == 200
    saved = WebhookSubscriber.objects.get()
    assert saved.url == "http://127.0.0.1:8080/hooks"
    assert saved.secret.startswith("whsec_") and saved.secret in response.text


def test_changing_a_url_to_a_private_address_keeps_the_old_one(client, moderator, subscriber):
    client.force_login(moderator)
    change = reverse("admin:claims_webhooksubscriber_change", args=[subscriber.pk])

    response = client.post(change, _form("http://192.168.1.10/hooks"))

    assert "refused: private address" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.url == "http://127.0.0.1:8765/hooks"


# --- secrets are write-only ---------------------------------------------------------------


def test_the_secret_is_never_shown_on_the_change_page(client, moderator, subscriber):
    client.force_login(moderator)

    page = client.get(reverse("admin:claims_webhooksubscriber_change", args=[subscriber.pk]))

    assert page.status_code == 200
    assert "Never shown again; rotate it to make a new one." in page.content.decode()
    assert OLD_SECRET not in page.content.decode()


def test_saving_keeps_the_secret(client, moderator, subscriber, settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    client.force_login(moderator)
    change = reverse("admin:claims_webhooksubscriber_change", args=[subscriber.pk])

    response = client.post(change, _form(subscriber.url, name="Renamed desk"))

    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert (subscriber.name, subscriber.secret) == ("Renamed desk", OLD_SECRET)


def test_the_desk_makes_a_new_subscribers_secret_and_shows_it_once(client, moderator, settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    client.force_login(moderator)

    response = _add(client, _form("http://127.0.0.1:8080/hooks"))

    saved = WebhookSubscriber.objects.get()
    assert response.status_code == 200
    assert "it is shown only this once" in response.text
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/]{43}=", saved.secret)
    assert len(base64.b64decode(saved.secret.removeprefix("whsec_"))) == 32
    assert saved.secret in response.text
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    change = client.get(reverse("admin:claims_webhooksubscriber_change", args=[saved.pk]))
    assert saved.secret not in change.text


def test_rotating_signs_with_both_secrets_for_a_day(client, moderator, subscriber):
    client.force_login(moderator)
    changelist = reverse("admin:claims_webhooksubscriber_changelist")

    response = client.post(
        changelist, {"action": "rotate_secret", "_selected_action": [subscriber.pk]}
    )

    subscriber.refresh_from_db()
    assert subscriber.secret.startswith("whsec_") and subscriber.secret in response.text
    assert subscriber.previous_secret == OLD_SECRET and OLD_SECRET not in response.text
    left = subscriber.previous_secret_expires_at - timezone.now()
    assert timedelta(hours=23, minutes=59) < left <= timedelta(hours=24)
    assert delivery.signing_secrets(subscriber) == [subscriber.secret, OLD_SECRET]
    change = client.get(reverse("admin:claims_webhooksubscriber_change", args=[subscriber.pk]))
    assert "the previous secret also signs until" in change.text


def test_turning_a_disabled_endpoint_back_on_clears_why(client, moderator, subscriber, settings):
    settings.CLAIMDESK_WEBHOOK_ALLOW_LOOPBACK = True
    WebhookSubscriber.objects.filter(pk=subscriber.pk).update(
        is_active=False, disabled_at=timezone.now(), disabled_reason="HTTP 410 Gone"
    )
    client.force_login(moderator)
    change = reverse("admin:claims_webhooksubscriber_change", args=[subscriber.pk])
    assert "HTTP 410 Gone" in client.get(change).text

    client.post(change, _form(subscriber.url))

    subscriber.refresh_from_db()
    assert subscriber.is_active and subscriber.disabled_at is None
    assert subscriber.disabled_reason == ""


def test_an_editor_cannot_rotate_a_secret(editor, subscriber):
    with pytest.raises(PermissionDenied):
        subscribers.subscriber_rotate_secret(subscriber=subscriber, actor=editor)
    subscriber.refresh_from_db()
    assert subscriber.secret == OLD_SECRET
