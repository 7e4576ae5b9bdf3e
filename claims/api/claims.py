"""Claims: list, read, create, edit, rule, replace, add evidence and attributions, hide."""

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from claims import access, services
from claims.api.auth import AUTH, reader, writer
from claims.api.concurrency import expected_version, tag
from claims.api.paging import next_link
from claims.api.schemas import (
    AttributionIn,
    ClaimIn,
    ClaimOut,
    ClaimPage,
    ClaimPatch,
    EvidenceIn,
    NoteIn,
    ProblemOut,
    RevisionOut,
    StatusIn,
    SupersedeIn,
)
from claims.models import Claim, Revision
from claims.models.redactions import redactions_of
from claims.selectors.figures import FigureSummary, sibling_reports
from claims.selectors.queue import QueueFilters, claim_queue

router = Router(auth=AUTH, tags=["claims"])
ERRORS = {code: ProblemOut for code in (401, 403, 404, 422, 429)}
WRITE_ERRORS = {**ERRORS, 412: ProblemOut, 428: ProblemOut}


def claim_body(claim: Claim, user) -> dict:
    """A claim with its attributions, evidence, supersession and figure, as the API shows it
    to ``user``: claims the user may not see are left out of its links."""
    attributions = claim.attributions.select_related("source").order_by("said_at", "id")
    replacement = access.visible_replacement(user, claim)
    replaced = access.visible_claims(user).filter(superseded_by=claim).order_by("id")
    return {
        "id": claim.pk,
        "story": claim.story.slug,
        "text": claim.text,
        "status": claim.status,
        "rationale": claim.rationale,
        "version": claim.version,
        "is_hidden": claim.is_hidden,
        "figure_id": claim.figure_id,
        "value": claim.value,
        "value_high": claim.value_high,
        "approximation": claim.approximation,
        "superseded_by_id": replacement.pk if replacement else None,
        "supersedes": list(replaced.values_list("id", flat=True)),
        "evidence_count": claim.evidence_count,
        "created_at": claim.created_at,
        "changed_at": claim.changed_at,
        "attributions": [
            {
                "id": a.pk,
                "source_id": a.source_id,
                "source": a.source.name,
                "quote": a.quote,
                "url": a.url,
                "outlet": a.outlet,
                "said_at": a.said_at,
            }  # fmt: skip
            for a in attributions
        ],
        "evidence": list(
            claim.evidence.order_by("id").values(
                "id", "stance", "url", "excerpt", "source_id", "capture_status", "created_at"
            )
        ),
        "figure": _figure(sibling_reports(claim, access.visible_claims(user))),
    }


def _figure(summary: FigureSummary | None) -> dict | None:
    """The figure the claim reports, what it stands at, and its whole series, oldest first."""
    if summary is None:
        return None
    figure, state = summary.figure, summary.state
    return {
        "id": figure.pk,
        "subject": figure.subject,
        "kind": figure.kind,
        "unit": figure.unit,
        "state": state.kind,
        "current_claim_id": state.current.claim_id if state.current else None,
        "disagreeing_claim_ids": [row.claim_id for row in state.disagreeing],
        "series": [
            {
                "claim_id": row.claim_id,
                "text": row.text,
                "status": row.status,
                "value": row.value,
                "value_high": row.value_high,
                "approximation": row.approximation,
                "shown": row.shown,
                "source": row.source_name or None,
                "said_at": row.said_at,
                "superseded_by_id": row.superseded_by_id,
            }  # fmt: skip
            for row in summary.reports
        ],
    }


def _answer(request: HttpRequest, response: HttpResponse, claim_id: int, status: int = 200):
    claim = access.access_claim_by_id(request.user, claim_id)
    tag(response, claim.version)
    return Status(status, claim_body(claim, request.user))


def _writing(request: HttpRequest, claim_id: int, action: str):
    """The token's user, the claim they may act on, and the version their ``If-Match``
    names: 403 before 428, so a role that may not act is told so first."""
    user = writer(request)
    claim = access.access_claim_by_id(user, claim_id)
    access.require(user, action)
    return user, claim, expected_version(request)


@router.get("/claims", response={200: ClaimPage, **ERRORS})
def claims_list(
    request: HttpRequest,
    response: HttpResponse,
    story: str = "",
    status: str = "",
    q: str = Query("", max_length=200),
    hidden: bool = False,
    cursor: str = Query("", max_length=500),
):
    user = reader(request)
    access.require(user, access.Action.VIEW)
    filters = QueueFilters(q=q, status=status, hidden=hidden and access.sees_hidden(user))
    if story:
        filters.story = access.access_story_by_slug(user, story)
    page = claim_queue(user=user, filters=filters, after=cursor, limit=50)
    ids = [row.id for row in page.rows]
    claims = Claim.objects.select_related("story").in_bulk(ids)
    items = [
        {
            "id": c.pk,
            "story": c.story.slug,
            "text": c.text,
            "status": c.status,
            "version": c.version,
            "is_hidden": c.is_hidden,
            "changed_at": c.changed_at,
        }  # fmt: skip
        for c in (claims[i] for i in ids)
    ]
    next_link(request, response, page.next_cursor)
    return Status(200, {"items": items, "next_cursor": page.next_cursor})


@router.post("/claims", response={201: ClaimOut, **ERRORS})
def claims_create(request: HttpRequest, response: HttpResponse, payload: ClaimIn):
    user = writer(request)
    story = access.access_story_by_slug(user, payload.story)
    fields = payload.model_dump(exclude={"story", "figure_id"})
    if payload.figure_id is not None:
        fields["figure"] = access.access_figure_by_id(user, story, payload.figure_id)
    claim = services.claim_create(story=story, actor=user, **fields)
    response["Location"] = f"{request.path}/{claim.pk}"
    return _answer(request, response, claim.pk, 201)


@router.get("/claims/{claim_id}", response={200: ClaimOut, **ERRORS})
def claims_get(request: HttpRequest, response: HttpResponse, claim_id: int):
    return _answer(request, response, claim_id)


@router.patch("/claims/{claim_id}", response={200: ClaimOut, **WRITE_ERRORS})
def claims_edit(request: HttpRequest, response: HttpResponse, claim_id: int, payload: ClaimPatch):
    user, claim, version = _writing(request, claim_id, access.Action.EDIT)
    access.require_may_edit_words(user, claim)
    changes = payload.model_dump(exclude_unset=True, exclude={"figure_id"})
    if "figure_id" in payload.model_fields_set:
        figure_id = payload.figure_id
        changes["figure"] = (
            None if figure_id is None else access.access_figure_by_id(user, claim.story, figure_id)
        )
    services.claim_edit(claim=claim, actor=user, expected_version=version, **changes)
    return _answer(request, response, claim_id)


@router.post("/claims/{claim_id}/status", response={200: ClaimOut, **WRITE_ERRORS})
def claims_status(request: HttpRequest, response: HttpResponse, claim_id: int, payload: StatusIn):
    user, claim, version = _writing(request, claim_id, access.Action.SET_STATUS)
    services.claim_set_status(
        claim=claim,
        status=payload.status,
        rationale=payload.rationale,
        actor=user,
        expected_version=version,
    )
    return _answer(request, response, claim_id)


@router.post("/claims/{claim_id}/supersede", response={200: ClaimOut, **WRITE_ERRORS})
def claims_supersede(
    request: HttpRequest, response: HttpResponse, claim_id: int, payload: SupersedeIn
):
    user, claim, version = _writing(request, claim_id, access.Action.SUPERSEDE)
    by = access.access_claim_by_id(user, payload.by)
    services.claim_supersede(
        claim=claim, by=by, actor=user, expected_version=version, note=payload.note
    )
    return _answer(request, response, claim_id)


@router.post("/claims/{claim_id}/evidence", response={201: ClaimOut, **WRITE_ERRORS})
def claims_evidence(
    request: HttpRequest, response: HttpResponse, claim_id: int, payload: EvidenceIn
):
    user, claim, version = _writing(request, claim_id, access.Action.ADD_EVIDENCE)
    source = access.access_source_by_id(user, payload.source_id) if payload.source_id else None
    services.evidence_add(
        claim=claim, url=payload.url, stance=payload.stance, excerpt=payload.excerpt,
        source=source, actor=user, expected_version=version,
    )  # fmt: skip
    return _answer(request, response, claim_id, 201)


@router.post("/claims/{claim_id}/attributions", response={201: ClaimOut, **WRITE_ERRORS})
def claims_attribution(
    request: HttpRequest, response: HttpResponse, claim_id: int, payload: AttributionIn
):
    user, claim, version = _writing(request, claim_id, access.Action.ADD_ATTRIBUTION)
    source = access.access_source_by_id(user, payload.source_id)
    services.attribution_add(
        claim=claim, source=source, quote=payload.quote, url=payload.url,
        outlet=payload.outlet, said_at=payload.said_at, actor=user, expected_version=version,
    )  # fmt: skip
    return _answer(request, response, claim_id, 201)


@router.post("/claims/{claim_id}/hide", response={200: ClaimOut, **WRITE_ERRORS})
def claims_hide(request: HttpRequest, response: HttpResponse, claim_id: int, payload: NoteIn):
    return _set_hidden(request, response, claim_id, payload, services.claim_hide)


@router.post("/claims/{claim_id}/unhide", response={200: ClaimOut, **WRITE_ERRORS})
def claims_unhide(request: HttpRequest, response: HttpResponse, claim_id: int, payload: NoteIn):
    return _set_hidden(request, response, claim_id, payload, services.claim_unhide)


def _set_hidden(request, response, claim_id, payload, service):
    user, claim, version = _writing(request, claim_id, access.Action.HIDE)
    service(claim=claim, actor=user, expected_version=version, note=payload.note)
    return _answer(request, response, claim_id)


@router.get("/claims/{claim_id}/revisions", response={200: list[RevisionOut], **ERRORS})
def claims_revisions(request: HttpRequest, claim_id: int):
    user = reader(request)
    claim = access.access_claim_by_id(user, claim_id)
    revisions = list(
        Revision.objects.select_related("actor").filter(claim=claim).order_by("number")
    )
    redacted = redactions_of([r.pk for r in revisions])
    shows_all = access.sees_redacted(user)
    return Status(200, [_revision(r, redacted.get(r.pk), shows_all) for r in revisions])


def _revision(revision: Revision, redaction, shows_all: bool) -> dict:
    hidden = frozenset() if redaction is None or shows_all else redaction.parts
    actor = revision.actor.get_username() if revision.actor else None
    return {
        "number": revision.number,
        "kind": revision.kind,
        "actor": None if "actor" in hidden else actor,
        "created_at": revision.created_at,
        "redacted": redaction is not None,
        "before": None if "text" in hidden else revision.before,
        "after": None if "text" in hidden else revision.after,
        "note": "" if "note" in hidden else revision.note,
    }
