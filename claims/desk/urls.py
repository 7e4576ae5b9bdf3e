from django.urls import path

from claims.desk.views import (
    bulk,
    claims,
    figures,
    ingest,
    live,
    mine,
    queue,
    sources,
    stories,
    story_settings,
)

urlpatterns = [
    path("review/", queue.review_queue, name="review_queue"),
    path("review/bulk/", bulk.queue_bulk, name="queue_bulk"),
    path("mine/", mine.my_desk, name="my_desk"),
    path("review/live/", live.queue_live, name="queue_live"),
    path("claims/<int:claim_id>/", claims.claim_detail, name="claim_detail"),
    path("claims/<int:claim_id>/live/", live.claim_live, name="claim_live"),
    path(
        "claims/<int:claim_id>/status/", claims.claim_act, {"name": "status"}, name="claim_status"
    ),
    path("claims/<int:claim_id>/edit/", claims.claim_act, {"name": "edit"}, name="claim_edit"),
    path(
        "claims/<int:claim_id>/evidence/",
        claims.claim_act,
        {"name": "evidence"},
        name="claim_evidence_add",
    ),
    path(
        "claims/<int:claim_id>/attributions/",
        claims.claim_act,
        {"name": "attribution"},
        name="claim_attribution_add",
    ),
    path(
        "claims/<int:claim_id>/assign/", claims.claim_act, {"name": "assign"}, name="claim_assign"
    ),
    path("claims/<int:claim_id>/notes/", claims.claim_act, {"name": "note"}, name="claim_note_add"),
    path("claims/<int:claim_id>/supersede/", claims.claim_supersede, name="claim_supersede"),
    path("claims/<int:claim_id>/watch/", claims.claim_watch, name="claim_watch"),
    path("stories/new/", story_settings.story_new, name="story_new"),
    path("stories/<slug:slug>/", stories.story_detail, name="story_detail"),
    path("stories/<slug:slug>/settings/", story_settings.story_settings, name="story_settings"),
    path("stories/<slug:slug>/close/", story_settings.story_close, name="story_close"),
    path("stories/<slug:slug>/claims/new/", stories.claim_new, name="claim_new"),
    path("stories/<slug:slug>/public/", story_settings.story_public, name="story_public"),
    path("stories/<slug:slug>/watch/", stories.story_watch, name="story_watch"),
    path(
        "stories/<slug:slug>/figures/<int:figure_id>/",
        figures.figure_detail,
        name="figure_detail",
    ),
    *(
        path(
            f"stories/<slug:slug>/figures/<int:figure_id>/{name}/",
            figures.figure_act,
            {"name": name},
            name=f"figure_{name}",
        )
        for name in ("report", "update", "merge", "split")
    ),
    path("sources/<int:source_id>/", sources.source_detail, name="source_detail"),
    path("ingest/", ingest.ingest_new, name="ingest_new"),
    path("ingest/<int:job_id>/", ingest.ingest_detail, name="ingest_detail"),
    path("ingest/<int:job_id>/status/", ingest.ingest_status, name="ingest_status"),
    path(
        "ingest/candidates/<int:candidate_id>/<str:decision>/",
        ingest.ingest_decide,
        name="ingest_decide",
    ),
    path(
        "evidence/<int:evidence_id>/capture/",
        ingest.evidence_capture_state,
        name="evidence_capture_state",
    ),
]
