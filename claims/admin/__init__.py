"""The moderators' admin, a module per concern; importing the package registers them all."""

from django.contrib import admin

from claims.admin import (  # noqa: F401
    claims,
    figures,
    integrations,
    notifications,
    revisions,
    stories,
    users,
)

admin.site.site_header = "Claimdesk moderation"
admin.site.site_title = "Claimdesk moderation"
admin.site.index_title = "Moderate claims, sources and people"
