"""Database triggers that make ``claims_revision`` append-only.

UPDATE and DELETE are refused by the database itself. TRUNCATE stays possible for the
table's owner (whole-database maintenance and test flushes), as it needs its own privilege.
"""

PG_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION claims_revision_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'claims_revision is append-only: % is not allowed', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER claims_revision_no_update BEFORE UPDATE ON claims_revision
    FOR EACH ROW EXECUTE FUNCTION claims_revision_append_only();
    """,
    """
    CREATE TRIGGER claims_revision_no_delete BEFORE DELETE ON claims_revision
    FOR EACH ROW EXECUTE FUNCTION claims_revision_append_only();
    """,
]

PG_UNINSTALL = [
    "DROP TRIGGER IF EXISTS claims_revision_no_delete ON claims_revision;",
    "DROP TRIGGER IF EXISTS claims_revision_no_update ON claims_revision;",
    "DROP FUNCTION IF EXISTS claims_revision_append_only();",
]

SQLITE_INSTALL = [
    """
    CREATE TRIGGER IF NOT EXISTS claims_revision_no_update BEFORE UPDATE ON claims_revision
    BEGIN SELECT RAISE(ABORT, 'claims_revision is append-only: UPDATE is not allowed'); END;
    """,
    """
    CREATE TRIGGER IF NOT EXISTS claims_revision_no_delete BEFORE DELETE ON claims_revision
    BEGIN SELECT RAISE(ABORT, 'claims_revision is append-only: DELETE is not allowed'); END;
    """,
]

SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS claims_revision_no_delete;",
    "DROP TRIGGER IF EXISTS claims_revision_no_update;",
]

INSTALL = {"postgresql": PG_INSTALL, "sqlite": SQLITE_INSTALL}
UNINSTALL = {"postgresql": PG_UNINSTALL, "sqlite": SQLITE_UNINSTALL}


def install(connection) -> None:
    with connection.cursor() as cursor:
        for statement in INSTALL.get(connection.vendor, []):
            cursor.execute(statement)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for statement in UNINSTALL.get(connection.vendor, []):
            cursor.execute(statement)
