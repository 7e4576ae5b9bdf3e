from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims import selectors
from claims.views import desk_required


@require_GET
@desk_required
def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    """What a source claimed, and how the desk ruled on those claims."""
    source = selectors.source_get(user=request.user, source_id=source_id)
    context = {
        "source": source,
        "attributions": selectors.source_attributions(user=request.user, source=source),
        "rulings": selectors.source_rulings(user=request.user, source=source),
    }
    return render(request, "sources/source_detail.html", context)
