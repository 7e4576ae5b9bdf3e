"""State for the public-trail tests, built through the services as the desk builds it."""

import json
import re

from claims import services
from claims.models import Claim
from tests.support.factories import ClaimFactory, EvidenceFactory, SourceFactory

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


def toll_pair(story, editor) -> tuple[Claim, Claim]:
    """The first Canadian toll (63), confirmed, then superseded by the corrected 57."""
    old = ruled_claim(
        story,
        editor,
        text="Canada says 63 of its citizens died when PS752 came down.",
        quantity_subject="Canadian victims of PS752",
        quantity_value=63,
    )
    new = ruled_claim(
        story,
        editor,
        text="Canada's foreign minister says 57 Canadians died on PS752, not 63.",
        quantity_subject="Canadian victims of PS752",
        quantity_value=57,
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
