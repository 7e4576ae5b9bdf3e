"""The review queue: every claim the user may see, newest change first, filtered and searched."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from claims import access
from claims.desk import fragments, public_links
from claims.desk.forms import QueueFilterForm
from claims.desk.responses import template_for
from claims.desk.work_forms import bulk_choices
from claims.selectors import queue as selectors


@require_GET
@access.desk_required
@vary_on_headers("HX-Request")
def review_queue(request: HttpRequest) -> HttpResponse:
    show_hidden = access.sees_hidden(request.user)
    form = QueueFilterForm(request.GET, show_hidden=show_hidden)
    filters = form.filters()
    page = selectors.claim_queue(
        user=request.user,
        filters=filters,
        after=request.GET.get("after", "")[:120],
        before=request.GET.get("before", "")[:120],
    )
    selectable = access.may_work_in_bulk(request.user)
    context = {
        "form": form,
        "page": page,
        "row_html": fragments.queue_rows(page.rows, selectable=selectable),
        "bulk": bulk_choices(request.user) if selectable else None,
        "filters": filters,
        "counts": selectors.queue_counts(story=filters.story),
        "can_manage_stories": access.may_manage_stories(request.user),
        "story_links": public_links.story_links(filters.story) if filters.story else None,
    }
    return render(
        request, template_for(request, "desk/queue.html", "desk/queue.html#results"), context
    )
