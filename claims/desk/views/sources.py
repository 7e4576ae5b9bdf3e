"""A source's record on the desk: what it claimed, and how the desk ruled on those claims."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims import access
from claims.selectors import desk as selectors


@require_GET
@access.desk_required
def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    source = access.access_source_by_id(request.user, source_id)
    context = {
        "source": source,
        "attributions": selectors.source_attributions(user=request.user, source=source),
        "rulings": selectors.source_rulings(user=request.user, source=source),
    }
    return render(request, "desk/source_detail.html", context)
