"""The PS752 toll as figure tests build it: a figure, its first report, and how a test rules
on a report or posts a form of the figure page."""

from datetime import UTC, datetime

from django.urls import reverse

from claims import services
from tests.support.factories import EvidenceFactory, FigureFactory, ReportFactory, SourceFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
JAN_8 = datetime(2020, 1, 8, 20, tzinfo=UTC)
JAN_10 = datetime(2020, 1, 10, 14, tzinfo=UTC)


def toll(story, actor, **kwargs):
    options = {"subject": "Canadian citizens killed on PS752", "unit": "people", **kwargs}
    return FigureFactory(story=story, actor=actor, **options)


def report(figure, actor, value, source_name: str, said_at=JAN_8, **kwargs):
    text = kwargs.pop("text", f"{source_name} says {value} Canadians died on PS752.")
    return ReportFactory(
        figure=figure,
        actor=actor,
        value=value,
        text=text,
        source=SourceFactory(name=source_name),
        said_at=said_at,
        **kwargs,
    )


def rule(claim, editor, status: str):
    EvidenceFactory(claim=claim, actor=editor)
    claim.refresh_from_db()
    services.claim_set_status(
        claim=claim, status=status, rationale="Checked.", actor=editor,
        expected_version=claim.version,
    )  # fmt: skip
    claim.refresh_from_db()
    return claim


def figure_url(figure, action: str = "") -> str:
    if action:
        return reverse(f"figure_{action}", args=[figure.story.slug, figure.pk])
    return reverse("figure_detail", args=[figure.story.slug, figure.pk])


def new_value(**overrides) -> dict:
    """The "Report a new value" form as a user fills it in: the minister's 57."""
    return {
        "value": "57",
        "approximation": "exact",
        "value_high": "",
        "text": "Champagne says 57 Canadians died on PS752.",
        "source": "François-Philippe Champagne",
        "said_at": "2020-01-10T14:00",
        "quote": "57 Canadians",
        "outlet": "Global Affairs Canada",
        "url": "",
        "supersedes": "",
        "note": "",
        **overrides,
    }
