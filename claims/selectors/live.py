"""The reads behind the desk's polls: one query each, answered before anything else so an
unchanged page costs the poll nothing more (see claims/desk/views/live.py)."""

from datetime import datetime

from claims.models import Claim


def claim_stamp(claim_id: int) -> tuple[int, datetime] | None:
    """The claim's version and when it last changed; None for no such claim."""
    return Claim.objects.filter(pk=claim_id).values_list("version", "changed_at").first()


def newest_change() -> datetime | None:
    """When any claim last changed, one step down the queue's index: a claim entering,
    leaving or changing in any filtered queue moves it."""
    return Claim.objects.order_by("-changed_at", "-id").values_list("changed_at", flat=True).first()
