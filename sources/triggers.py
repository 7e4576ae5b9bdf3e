"""Database triggers that make a history table append-only: UPDATE and DELETE are refused by
the database itself. TRUNCATE stays possible for the table's owner (whole-database
maintenance and test flushes), as it needs its own privilege.

A source's revisions are kept this way, and so are a claim's (``claims.models.triggers``).
"""

TABLE = "sources_sourcerevision"


def _install_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"""
            CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{table} is append-only: % is not allowed', TG_OP
                    USING ERRCODE = 'restrict_violation';
            END;
            $$ LANGUAGE plpgsql;
            """,
            *(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only();"
                for op in ("UPDATE", "DELETE")
            ),
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} is not allowed'); END;"
            for op in ("UPDATE", "DELETE")
        ]
    return []


def _uninstall_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table};",
            f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};",
            f"DROP FUNCTION IF EXISTS {table}_append_only();",
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for op in ("delete", "update")]
    return []


def install(connection, table: str = TABLE) -> None:
    with connection.cursor() as cursor:
        for statement in _install_statements(connection.vendor, table):
            cursor.execute(statement)


def uninstall(connection, table: str = TABLE) -> None:
    with connection.cursor() as cursor:
        for statement in _uninstall_statements(connection.vendor, table):
            cursor.execute(statement)
