"""The public event log: ``GET /events`` (cursor paging, long poll) and ``/events/stream``
(Server-Sent Events with ``Last-Event-ID`` resume, for an ASGI server)."""

import asyncio
import json
import time
from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Query, Router, Schema

from claims.access import MAX_ID
from claims.selectors import events as selectors

router = Router(tags=["events"])

MAX_WAIT = 30
POLL_SECONDS = 0.5


class EventOut(Schema):
    id: int
    type: str
    timestamp: str
    data: dict


class EventPageOut(Schema):
    events: list[EventOut]
    next_after: int


@router.get("/events", response=EventPageOut, auth=None, summary="Public events, oldest first")
def list_events(
    request: HttpRequest,
    response: HttpResponse,
    after: int = Query(0, ge=0, le=MAX_ID),
    limit: int = Query(selectors.DEFAULT_LIMIT, ge=1),
    wait: float = Query(0, ge=0),
):
    """Events after ``after``; with ``wait`` (seconds, at most 30) the answer waits for the
    first event when there is none yet. Go on with ``next_after`` (or the Link header)."""
    limit = min(limit, selectors.MAX_LIMIT)
    deadline = time.monotonic() + min(wait, MAX_WAIT)
    page = selectors.events_after(after, limit=limit)
    while not page.events and time.monotonic() < deadline:
        time.sleep(min(POLL_SECONDS, max(deadline - time.monotonic(), 0)))
        page = selectors.events_after(after, limit=limit)
    query = urlencode({"after": page.next_after, "limit": limit})
    response.headers["Link"] = f'<{request.path}?{query}>; rel="next"'
    response.headers["Cache-Control"] = "no-cache"
    return {"events": page.events, "next_after": page.next_after}


@router.get("/events/stream", auth=None, include_in_schema=False)
async def stream_events(request: HttpRequest, after: int = Query(0, ge=0, le=MAX_ID)):
    """The same events as Server-Sent Events: ``id:`` is the event id, so a client that
    reconnects with ``Last-Event-ID`` goes on where it stopped. The stream ends after
    CLAIMDESK_EVENT_STREAM_SECONDS; clients reconnect (EventSource does by itself)."""
    start = _last_event_id(request.headers.get("Last-Event-ID"), after)
    response = StreamingHttpResponse(_sse(start), content_type="text/event-stream")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"
    return response


def _last_event_id(header: str | None, after: int) -> int:
    try:
        value = int((header or "").strip())
    except ValueError:
        return after
    return value if 0 <= value <= MAX_ID else after


async def _sse(after: int):
    lifetime = settings.CLAIMDESK_EVENT_STREAM_SECONDS
    heartbeat = settings.CLAIMDESK_EVENT_HEARTBEAT_SECONDS
    ends = time.monotonic() + lifetime
    quiet_since = time.monotonic()
    read = sync_to_async(selectors.events_after)
    yield "retry: 2000\n\n"
    while time.monotonic() < ends:
        page = await read(after, limit=selectors.MAX_LIMIT)
        after = page.next_after
        for event in page.events:
            yield _frame(event)
        if page.events:
            quiet_since = time.monotonic()
            continue
        if time.monotonic() - quiet_since >= heartbeat:
            quiet_since = time.monotonic()
            yield ": heartbeat\n\n"
        await asyncio.sleep(POLL_SECONDS)


def _frame(event: dict) -> str:
    data = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    return f"id: {event['id']}\nevent: {event['type']}\ndata: {data}\n\n"
