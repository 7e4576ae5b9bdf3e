"""The moderators' admin, a module per concern; importing the package registers them all."""

from claims.admin import claims, figures, notifications, stories, users  # noqa: F401
