"""State for the public-trail tests, built through the services as the desk builds it."""

import json
import re
from datetime import UTC, datetime

from claims import services
from claims.models import Claim, Figure
from tests.support.factories import (
    ClaimFactory,
    EvidenceFactory,
    FigureFactory,
    ReportFactory,
    SourceFactory,
)

JSONLD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def rule(claim: Claim, status: str, actor, rationale: str = "") -> Claim:
    """Give a claim evidence if it needs it, then set its status."""
    claim.refresh_from_db()
    if claim.evidence_count == 0:
        EvidenceFactory(claim=claim, actor=actor)
        claim.refresh_from_db()
    return services.claim_set_status(
        claim=claim,
        status=status,
        rationale=rationale or f"Ruled {status} on the record.",
        actor=actor,
        expected_version=claim.version,
    )


def ruled_claim(story, editor, status: str = "confirmed", **kwargs) -> Claim:
    claim = ClaimFactory(story=story, actor=editor, **kwargs)
    return rule(claim, status, editor)


def toll_figure(story, editor) -> Figure:
    return FigureFactory(
        story=story, subject="Canadian citizens killed on PS752", unit="people", actor=editor
    )


def ruled_report(figure: Figure, editor, status: str = "confirmed", **kwargs) -> Claim:
    """A report of ``figure`` (``ReportFactory``'s arguments), ruled with evidence."""
    return rule(ReportFactory(figure=figure, actor=editor, **kwargs), status, editor)


def toll_pair(story, editor, figure: Figure | None = None) -> tuple[Claim, Claim]:
    """The first Canadian toll (63, Canada's government, 8 January), confirmed, then the
    foreign minister's 57 (10 January), confirmed, superseding it."""
    figure = figure or toll_figure(story, editor)
    old = ruled_report(
        figure,
        editor,
        value=63,
        text="Canada says 63 of its citizens died when PS752 came down.",
        source=SourceFactory(name="Government of Canada"),
        said_at=datetime(2020, 1, 8, 21, tzinfo=UTC),
    )
    new = ruled_report(
        figure,
        editor,
        value=57,
        text="Canada's foreign minister says 57 Canadians died on PS752, not 63.",
        source=SourceFactory(name="François-Philippe Champagne"),
        said_at=datetime(2020, 1, 10, 15, tzinfo=UTC),
    )
    old.refresh_from_db()
    services.claim_supersede(
        claim=old, by=new, actor=editor, expected_version=old.version, note="Minister revised."
    )
    old.refresh_from_db()
    return old, new


def attribute(claim: Claim, actor, **kwargs) -> None:
    claim.refresh_from_db()
    services.attribution_add(
        claim=claim,
        source=kwargs.pop("source", None) or SourceFactory(name="Justin Trudeau"),
        actor=actor,
        expected_version=claim.version,
        **kwargs,
    )


def jsonld_blocks(html: str) -> list:
    return [json.loads(block) for block in JSONLD_RE.findall(html)]
