"""The review queue: every claim the user may see, newest change first, filtered and searched."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from claims import access
from claims.desk import fragments
from claims.desk.forms import QueueFilterForm
from claims.desk.responses import template_for
from claims.selectors import queue as selectors


@require_GET
@access.desk_required
@vary_on_headers("HX-Request")
def review_queue(request: HttpRequest) -> HttpResponse:
    show_hidden = access.sees_hidden(request.user)
    form = QueueFilterForm(request.GET, show_hidden=show_hidden)
    data = form.valid_data()
    filters = selectors.QueueFilters(
        q=data.get("q") or "",
        status=data.get("status") or "",
        story=data.get("story"),
        assignee=data.get("assignee"),
        source=data.get("source"),
        no_evidence=bool(data.get("no_evidence")),
        mine=bool(data.get("mine")),
        hidden=bool(data.get("hidden")),
    )
    page = selectors.claim_queue(
        user=request.user,
        filters=filters,
        after=request.GET.get("after", "")[:120],
        before=request.GET.get("before", "")[:120],
    )
    context = {
        "form": form,
        "page": page,
        "row_html": fragments.queue_rows(page.rows),
        "filters": filters,
        "counts": selectors.queue_counts(story=filters.story),
    }
    return render(
        request, template_for(request, "desk/queue.html", "desk/queue.html#results"), context
    )
