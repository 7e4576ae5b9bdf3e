"""Database triggers that make ``claims_revision``, ``claims_figurerevision`` and
``claims_storyrevision`` append-only: UPDATE and DELETE are refused by the database itself, as
they are for a source's history (the same triggers, from ``sources.triggers``). TRUNCATE stays
possible for the table's owner."""

from sources import triggers as append_only

TABLE = "claims_revision"


def install(connection) -> None:
    append_only.install(connection, TABLE)


def uninstall(connection) -> None:
    append_only.uninstall(connection, TABLE)


FIGURE_TABLE = "claims_figurerevision"


def install_figure_history(connection) -> None:
    append_only.install(connection, FIGURE_TABLE)


def uninstall_figure_history(connection) -> None:
    append_only.uninstall(connection, FIGURE_TABLE)


STORY_TABLE = "claims_storyrevision"


def install_story_history(connection) -> None:
    append_only.install(connection, STORY_TABLE)


def uninstall_story_history(connection) -> None:
    append_only.uninstall(connection, STORY_TABLE)
