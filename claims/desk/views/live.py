"""Live awareness: the claim page and the queue poll these every few seconds.

A poll sends the ETag of what it last showed (htmx's ``hx-headers``) and an unchanged page
is answered 304 from one query before the session or the user is read: the ETag is an HMAC
bound to the session cookie, so only the session that was shown an answer can be told it
still holds. Anything else goes the whole way through the desk's access rules and answers
200 with the parts of the page to replace (``hx-swap-oob``); the poll itself swaps nothing,
so a form on the page is never touched.

The claim page's poll also renews the user's presence on it (claims.desk.presence). Before
the session is read it knows the user from a token it was handed by the last full answer,
signed and bound to the same session cookie.
"""

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.http import parse_etags, quote_etag
from django.views.decorators.http import require_GET

from claims import access
from claims.desk import presence
from claims.desk.forms import QueueFilterForm
from claims.desk.views.claim_page import STATE_FRAGMENTS, claim_context, render_fragments
from claims.models import Claim
from claims.selectors import desk as desk_selectors
from claims.selectors import live as live_selectors
from claims.selectors import queue as queue_selectors

TOKEN_SALT = "claimdesk.live.claim"
TOKEN_SECONDS = 12 * 3600  # a shift; after it the poll goes the whole way once to renew it
SHOWN_CHANGES = 3

# What a change did, said of the claim; "{…}" is the new value of that field.
PHRASES = {
    "created": "logged it",
    "edited": "edited the {fields}",
    "minor_edit": "fixed a typo in the {fields}",
    "status": "set the status to {status}",
    "evidence": "added evidence",
    "attribution": "added an attribution",
    "superseded": "marked it replaced by another claim",
    "merged": "merged it into another claim",
    "hidden": "hid it",
    "unhidden": "made it visible again",
    "assigned": "assigned it to {assignee}",
    "redacted": "redacted part of its history",
    "value_fixed": "corrected a typo in its figure",
    "refiled": "moved it to another figure",
}


def _session_digest(request: HttpRequest) -> str:
    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    return salted_hmac("claimdesk.live.session", cookie).hexdigest()[:20]


def _etag(request: HttpRequest, *parts) -> str:
    shown = ":".join(str(part) for part in (*parts, _session_digest(request)))
    return salted_hmac("claimdesk.live.etag", shown).hexdigest()[:24]


def _still_fresh(request: HttpRequest, etag: str) -> bool:
    return quote_etag(etag) in parse_etags(request.headers.get("If-None-Match", ""))


def _answer(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = quote_etag(etag)
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def ago(moment: datetime, now: datetime) -> str:
    """How long ago, coarse enough that the words change a few times a minute at most."""
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 10:
        return f"{seconds} s ago"
    if seconds < 60:
        return f"{seconds // 10 * 10} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"on {timezone.localtime(moment):%d %b %H:%M}"


# The claim page


def _claim_etag(request, claim_id: int, since: int, stamp: tuple, others: list[str]) -> str:
    version, changed_at = stamp
    age = ago(changed_at, timezone.now()) if version > since else ""
    return _etag(request, "claim", claim_id, since, version, age, ",".join(others))


def _token_for(request: HttpRequest, claim_id: int) -> str:
    user = request.user
    identity = [claim_id, user.pk, user.get_username(), _session_digest(request)]
    return signing.dumps(identity, salt=TOKEN_SALT)


def _token_holder(request: HttpRequest, claim_id: int) -> tuple[int, str] | None:
    """(id, name) of the user the poll's token was made for, if it is this claim's and this
    session's and not expired."""
    try:
        token_claim, user_id, name, digest = signing.loads(
            request.GET.get("t", ""), salt=TOKEN_SALT, max_age=TOKEN_SECONDS
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if token_claim != claim_id or digest != _session_digest(request):
        return None
    return user_id, name


def _version(value: str, default: int) -> int:
    return int(value) if value.isdigit() and len(value) < 10 else default


@require_GET
def claim_live(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The claim page's poll: 304 while nothing it shows moved; else who changed what since
    version ``since`` (the one the page shows), and who else has the page open.
    ``show=1`` also answers the claim's parts of the page as they are now."""
    since = _version(request.GET.get("since", ""), 0)
    holder = _token_holder(request, claim_id)
    if holder is not None and "show" not in request.GET:
        others = presence.claim_presence(claim_id=claim_id, user_id=holder[0], username=holder[1])
        stamp = live_selectors.claim_stamp(claim_id)
        if stamp is not None:
            etag = _claim_etag(request, claim_id, since, stamp, others)
            if _still_fresh(request, etag):
                return _answer(HttpResponseNotModified(), etag)
    return _claim_live_answer(request, claim_id, since)


@access.desk_required
def _claim_live_answer(request: HttpRequest, claim_id: int, since: int) -> HttpResponse:
    user = request.user
    claim = access.access_claim_by_id(user, claim_id)
    others = presence.claim_presence(
        claim_id=claim.pk, user_id=user.pk, username=user.get_username()
    )
    show = "show" in request.GET
    since = claim.version if show else min(since or claim.version, claim.version)
    etag = _claim_etag(request, claim.pk, since, (claim.version, claim.changed_at), others)
    if not show and _still_fresh(request, etag):
        return _answer(HttpResponseNotModified(), etag)
    changes = _changes_by_others(user, claim, since)
    context = {
        "claim": claim,
        "etag": etag,
        "poll_url": f"{reverse('claim_live', args=[claim.pk])}?since={since}"
        f"&t={_token_for(request, claim.pk)}",
        "here": presence.here_phrase(others),
        "changes": changes[:SHOWN_CHANGES],
        "more": max(0, len(changes) - SHOWN_CHANGES),
        "shown": show,
    }
    html = render_to_string("desk/_live_claim_update.html", context, request)
    if show:
        page = claim_context(request, claim) | {"oob": True}
        html += render_fragments(request, page, STATE_FRAGMENTS, 200).content.decode()
    return _answer(HttpResponse(html), etag)


def _changes_by_others(user, claim: Claim, since: int) -> list[dict]:
    """What others changed on the claim after version ``since``, newest first."""
    if since >= claim.version:
        return []
    entries = desk_selectors.claim_revisions_since(
        claim=claim, version=since, last=None, reveal=access.sees_redacted(user)
    )
    now = timezone.now()
    return [
        {
            "actor": _actor(entry),
            "phrase": change_phrase(entry),
            "at": entry.revision.created_at,
            "ago": ago(entry.revision.created_at, now),
        }
        for entry in reversed(entries)
        if entry.revision.actor_id != user.pk
    ]


def _actor(entry) -> str:
    if "actor" in entry.hidden:
        return "Someone"
    actor = entry.revision.actor
    return actor.get_username() if actor is not None else "The system"


def change_phrase(entry) -> str:
    """What the change did: "set the status to In review", "edited the text", "added evidence"."""
    revision = entry.revision
    shown = {change.field: change for change in entry.changes}
    labels = [change.label.lower() for change in entry.changes]
    if "text" in entry.hidden or not labels:
        labels = ["claim"]
    values = {
        "fields": " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels),
        "status": shown["status"].after if "status" in shown else "a new status",
        "assignee": shown["assignee"].after if "assignee" in shown else "someone",
    }
    if revision.kind == "assigned" and values["assignee"] in {"—", ""}:
        return "unassigned it"
    phrase = PHRASES.get(revision.kind, revision.get_kind_display().lower())
    return phrase.format(**values)


# The queue


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return timezone.now()
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@require_GET
def queue_live(request: HttpRequest) -> HttpResponse:
    """The queue's poll: 304 while no claim changed anywhere since its last answer; else how
    many of the claims the queue shows (its filters are the poll's) changed after ``since``,
    the time the queue was rendered."""
    etag = _etag(request, "queue", request.GET.urlencode(), live_selectors.newest_change())
    if _still_fresh(request, etag):
        return _answer(HttpResponseNotModified(), etag)
    return _queue_live_answer(request, etag)


@access.desk_required
def _queue_live_answer(request: HttpRequest, etag: str) -> HttpResponse:
    since = _moment(request.GET.get("since", ""))
    count = queue_selectors.queue_changed_since(
        user=request.user, filters=_queue_filters(request), since=since
    )
    params = request.GET.copy()
    for name in ("since", "after", "before"):
        params.pop(name, None)
    queue_url = reverse("review_queue") + (f"?{params.urlencode()}" if params else "")
    context = {"count": count, "etag": etag, "queue_url": queue_url}
    context["poll_url"] = request.get_full_path()
    return _answer(HttpResponse(render_to_string("desk/_live_queue_update.html", context)), etag)


def _queue_filters(request: HttpRequest) -> queue_selectors.QueueFilters:
    """The queue's filters as the queue reads them from the same parameters."""
    form = QueueFilterForm(request.GET, show_hidden=access.sees_hidden(request.user))
    return form.filters()
