from django.urls import path, register_converter

from claims.public import embeds, feeds, figure_feed, views


class FeedFormatConverter:
    regex = "rss|atom|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FeedFormatConverter, "feedformat")

urlpatterns = [
    path("s/", views.story_index, name="public_story_index"),
    path("s/<slug:slug>/", views.story, name="public_story"),
    path("s/<slug:slug>/figures/<int:figure_id>/", views.public_figure, name="public_figure"),
    path(
        "s/<slug:slug>/figures/<int:figure_id>/feed.<feedformat:fmt>",
        figure_feed.figure_feed,
        name="public_figure_feed",
    ),
    path("c/<int:claim_id>/", views.claim_canonical, name="public_claim_canonical"),
    path("c/<int:claim_id>/<slug:slug>/", views.public_claim, name="public_claim"),
    path("embed/c/<int:claim_id>/", embeds.claim_embed, name="public_claim_embed"),
    path("oembed", embeds.oembed, name="public_oembed"),
    path("feeds/status.<feedformat:fmt>", feeds.status_feed, name="public_status_feed"),
    path("stories/<slug:slug>/feed.<feedformat:fmt>", feeds.story_feed, name="public_story_feed"),
    path("claims/<int:claim_id>/feed.<feedformat:fmt>", feeds.claim_feed, name="public_claim_feed"),
]
