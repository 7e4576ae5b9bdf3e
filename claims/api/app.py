"""The versioned API: one NinjaAPI, its routers, and its OpenAPI document."""

from ninja import NinjaAPI, Swagger

from claims.api import errors
from claims.api.claims import router as claims_router
from claims.api.events import router as events_router
from claims.api.factcheck import router as factcheck_router
from claims.api.stories import router as stories_router


class ClaimdeskAPI(NinjaAPI):
    """The document declares, on each operation, the problems it can answer."""

    def get_openapi_schema(self, **kwargs):
        return errors.document_problems(super().get_openapi_schema(**kwargs))


api = ClaimdeskAPI(
    title="Claimdesk API",
    version="1",
    urls_namespace="api_v1",
    # Rendered from the assets django-ninja ships ("ninja" is an installed app): no CDN.
    docs=Swagger(settings={"persistAuthorization": True}),
)
errors.install(api)
api.add_router("/", claims_router)
api.add_router("/", stories_router)
# The public event log and the Fact Check Tools search, readable without a token.
api.add_router("/", events_router)
api.add_router("/", factcheck_router)
