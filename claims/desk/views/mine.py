"""My desk: the claims I watch or hold, newest change first, and the stories I watch."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims import access
from claims.selectors import work as selectors


@require_GET
@access.desk_required
def my_desk(request: HttpRequest) -> HttpResponse:
    page = selectors.my_desk(
        user=request.user,
        after=request.GET.get("after", "")[:120],
        before=request.GET.get("before", "")[:120],
    )
    context = {"page": page, "stories": selectors.watched_stories(user=request.user)}
    return render(request, "desk/mine.html", context)
