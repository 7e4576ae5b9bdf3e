"""The versioned API: one NinjaAPI, its routers, and its OpenAPI document."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Claimdesk API",
    version="1",
    urls_namespace="api_v1",
)
