"""The versioned API: one NinjaAPI, its routers, and its OpenAPI document."""

from ninja import NinjaAPI, Swagger

from claims.api import errors
from claims.api.claims import router as claims_router
from claims.api.stories import router as stories_router

api = NinjaAPI(
    title="Claimdesk API",
    version="1",
    urls_namespace="api_v1",
    # Rendered from the assets django-ninja ships ("ninja" is an installed app): no CDN.
    docs=Swagger(settings={"persistAuthorization": True}),
)
errors.install(api)
api.add_router("/", claims_router)
api.add_router("/", stories_router)

# Helper C: the public event log and the Fact Check Tools search.
from claims.api.events import router as events_router  # noqa: E402
from claims.api.factcheck import router as factcheck_router  # noqa: E402

api.add_router("/", events_router)
api.add_router("/", factcheck_router)
