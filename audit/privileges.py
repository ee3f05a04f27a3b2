"""The application's database role (PostgreSQL): what it may do to each table.

The roles come from deploy/postgres/zi-roles.psql: an owner, which migrations run as, and the
application's role, which owns nothing. Owning nothing, it can neither alter a table nor
disable its triggers, and here it gets no more than it needs: the data of the application's
tables, and on the audit trail only reading and appending (the chain head moves forward as
entries are appended; its trigger allows nothing else). Run as the owner after every migrate:
`manage.py grant_app_role ROLE`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from audit.models import AuditChainHead, AuditEntry

DATA = ("SELECT", "INSERT", "UPDATE", "DELETE")
LIMITED = {
    AuditEntry._meta.db_table: ("SELECT", "INSERT"),
    AuditChainHead._meta.db_table: ("SELECT", "INSERT", "UPDATE"),
    # Migrations run as the owner; the application only reads which ones were applied.
    "django_migrations": ("SELECT",),
}
SEQUENCES = ("USAGE", "SELECT")


class RoleError(Exception):
    """The role cannot be the application's role, or this connection cannot grant to it."""


@dataclass(frozen=True)
class Granted:
    role: str
    tables: dict[str, tuple[str, ...]]
    sequences: int

    def summary(self) -> list[str]:
        data = [t for t, privileges in self.tables.items() if privileges == DATA]
        lines = [f"{self.role}: {', '.join(DATA)} on {len(data)} tables"]
        lines += [
            f"{self.role}: only {', '.join(privileges)} on {table}"
            for table, privileges in sorted(self.tables.items())
            if privileges != DATA
        ]
        lines.append(f"{self.role}: {', '.join(SEQUENCES)} on {self.sequences} sequences")
        return lines


def _one(cursor, sql: str, params=()):
    cursor.execute(sql, params)
    return cursor.fetchone()


def grant_app_role(*, role: str, using: str = DEFAULT_DB_ALIAS) -> Granted:
    """Give `role` exactly the application's privileges on every table of the schema, taking
    back any other it held there (safe to run again)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RoleError("database roles exist on PostgreSQL only")
    quote = connection.ops.quote_name
    with transaction.atomic(using=using), connection.cursor() as cursor:
        found = _one(
            cursor, "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role]
        )
        if found is None:
            raise RoleError(
                f"there is no database role {role!r}; create it with deploy/postgres/zi-roles.psql"
            )
        if any(found):
            raise RoleError(
                f"{role!r} is a superuser or bypasses row security: it could do anything"
            )
        me, i_am_superuser, schema = _one(
            cursor,
            "SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), "
            "current_schema()",
        )
        if role == me:
            raise RoleError(
                f"{role!r} is the role this command connects as: run it as the tables' owner "
                "and give it the application's role"
            )
        if _one(cursor, "SELECT pg_has_role(%s, current_user, 'MEMBER')", [role])[0]:
            raise RoleError(f"{role!r} is a member of {me!r} and so holds all its rights")
        cursor.execute(
            "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = %s ORDER BY tablename",
            [schema],
        )
        tables = cursor.fetchall()
        owned = sorted(table for table, owner in tables if owner == role)
        if owned:
            raise RoleError(f"{role!r} owns {', '.join(owned)}: it could alter or empty them")
        others = sorted(table for table, owner in tables if owner != me)
        if others and not i_am_superuser:
            raise RoleError(
                f"{me!r} does not own {', '.join(others[:5])}: run this as the tables' owner"
            )
        name, space = quote(role), quote(schema)
        cursor.execute(f"GRANT USAGE ON SCHEMA {space} TO {name}")
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {space} FROM {name}, PUBLIC")
        granted = {}
        for table, _owner in tables:
            privileges = LIMITED.get(table, DATA)
            cursor.execute(f"GRANT {', '.join(privileges)} ON {space}.{quote(table)} TO {name}")
            granted[table] = privileges
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {space} FROM {name}, PUBLIC")
        cursor.execute(f"GRANT {', '.join(SEQUENCES)} ON ALL SEQUENCES IN SCHEMA {space} TO {name}")
        sequences = _one(
            cursor, "SELECT count(*) FROM pg_sequences WHERE schemaname = %s", [schema]
        )[0]
    return Granted(role=role, tables=granted, sequences=sequences)
