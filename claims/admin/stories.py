"""Stories in the admin, saved through the story services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from claims import services
from claims.models import (
    Story,
)
from claims.services import stories


class StoryAdminForm(forms.ModelForm):
    """Runs the story services' own checks, so the admin shows their errors on the form."""

    class Meta:
        model = Story
        fields = ("title", "slug", "description", "is_public")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            fields = {name: cleaned.get(name) for name in ("title", "description", "is_public")}
            stories.clean_story(**fields)
            if self.instance.pk is None:
                stories.clean_story_slug(cleaned.get("slug"), title=cleaned.get("title") or "")
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    """Stories are saved by the story services; a story's address never changes."""

    form = StoryAdminForm
    list_display = ("title", "slug", "is_public", "created_at")
    list_filter = ("is_public",)
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}

    def get_readonly_fields(self, request, obj=None):
        # A story's address is fixed once it exists: feeds, links and embeds point to it.
        return ("slug",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        # A story keeps its append-only history (and its claims theirs): it is closed on the
        # desk, never deleted.
        return False

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields

    def save_model(self, request, obj, form, change):
        """Stories are written by the story services, which check the editor's permission."""
        fields = {name: getattr(obj, name) for name in ("title", "description", "is_public")}
        if change:
            services.story_update(story=obj, actor=request.user, **fields)
        else:
            obj.pk = services.story_create(slug=obj.slug, actor=request.user, **fields).pk
