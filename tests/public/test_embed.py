"""The status badge a CMS frames, and the oEmbed answer that hands it out."""

import pytest

from tests.support.public import ruled_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(story, editor):
    return ruled_claim(story, editor, text="The bridge reopened in May.", status="false")


def test_badge_shows_status_text_publisher_and_link(client, claim, settings):
    settings.CLAIMDESK_PUBLISHER_NAME = "The Daily Check"

    response = client.get(f"/embed/c/{claim.pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert '<strong class="badge false">False</strong>' in body
    assert "The bridge reopened in May." in body
    assert "Checked by The Daily Check" in body
    assert f'href="http://127.0.0.1:8000{claim.get_public_url()}" target="_top"' in body
    assert response.headers["Surrogate-Key"].split()[0] == f"claim-{claim.pk}"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_badge_of_a_hidden_claim_is_not_found(client, claim, moderator):
    from claims import services

    services.claim_hide(claim=claim, actor=moderator)

    assert client.get(f"/embed/c/{claim.pk}/").status_code == 404


def test_claim_page_links_its_oembed(client, claim):
    body = client.get(claim.get_public_url()).content.decode()

    assert 'rel="alternate" type="application/json+oembed"' in body
    assert "/oembed?url=http%3A%2F%2F127.0.0.1%3A8000%2Fc%2F" in body


def test_oembed_answers_rich_json_for_a_public_claim(client, claim):
    url = f"http://127.0.0.1:8000{claim.get_public_url()}"

    response = client.get("/oembed", {"url": url, "format": "json"})

    data = response.json()
    assert response.status_code == 200
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["title"] == "The bridge reopened in May."
    assert f'src="http://127.0.0.1:8000/embed/c/{claim.pk}/"' in data["html"]
    assert data["width"] == 400 and data["height"] == 180
    assert {"provider_name", "provider_url", "cache_age"} <= set(data)
    assert response.headers["Surrogate-Key"] == f"claim-{claim.pk}"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/c/999999/",
        "https://elsewhere.example/c/1/",
        "http://127.0.0.1:8000/s/",
    ],
)
def test_oembed_is_404_for_unknown_or_non_claim_urls(client, claim, url):
    assert client.get("/oembed", {"url": url}).status_code == 404


def test_oembed_xml_is_not_implemented(client, claim):
    url = f"http://127.0.0.1:8000{claim.get_public_url()}"

    assert client.get("/oembed", {"url": url, "format": "xml"}).status_code == 501
