from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request):
    """For load balancers: answers without touching the database or the session."""
    return HttpResponse("ok", content_type="text/plain")
