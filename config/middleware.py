"""Desk, admin, login and API responses are never stored by any cache: ``private, no-store``
is added to whatever the view set (the desk's live views keep their ``no-cache`` and ETag
304s), unless the view marked its response public (``claims.public.http``)."""

from django.utils.cache import patch_cache_control, patch_vary_headers


class PrivateNoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.headers.get("Cache-Control", "").startswith("public"):
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
        return response
