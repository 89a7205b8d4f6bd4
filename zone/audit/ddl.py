"""DDL that makes the audit trail append-only on both databases. Used by the models (create_all) and by
the Alembic migration (``APPEND_ONLY_*``, run once every table exists), so the two cannot drift apart.

- ``audit_events``: UPDATE and DELETE are refused, row by row.
- ``audit_head``: the chain head only moves forward (its ``seq`` grows with every write) and is never
  deleted, so it cannot be wound back to hide entries removed from the end.

The triggers bind every role but the tables' owner, who may disable them: ``app_role_grants()`` gives
the application's own PostgreSQL role what it needs and no more (INSERT and SELECT on the trail).
"""

import re

from sqlalchemy import DDL

SEED_HEAD = DDL("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '')")

EVENTS_POSTGRESQL = [
    DDL(
        """
        CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'audit_events is append-only: %% refused', TG_OP;  -- %% escapes DDL formatting
        END;
        $$ LANGUAGE plpgsql
        """
    ),
    DDL(
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()"
    ),
    DDL(
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()"
    ),
]

HEAD_POSTGRESQL = [
    DDL(
        """
        CREATE OR REPLACE FUNCTION audit_head_only_forward() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                RAISE EXCEPTION 'audit_head cannot be deleted';
            END IF;
            IF NEW.id <> OLD.id OR NEW.seq <= OLD.seq THEN
                RAISE EXCEPTION 'audit_head only moves forward';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """
    ),
    DDL(
        "CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_head "
        "FOR EACH ROW EXECUTE FUNCTION audit_head_only_forward()"
    ),
]

EVENTS_SQLITE = [
    DDL(
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END"
    ),
    DDL(
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END"
    ),
]

HEAD_SQLITE = [
    DDL(
        "CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head "
        "WHEN NEW.id <> OLD.id OR NEW.seq <= OLD.seq "
        "BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END"
    ),
    DDL(
        "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
        "BEGIN SELECT RAISE(ABORT, 'audit_head cannot be deleted'); END"
    ),
]

# What the migration runs, once both tables exist.
APPEND_ONLY_POSTGRESQL = EVENTS_POSTGRESQL + HEAD_POSTGRESQL
APPEND_ONLY_SQLITE = EVENTS_SQLITE + HEAD_SQLITE


_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def app_role_grants(role: str) -> list[str]:
    """The statements, run by the owner of the tables after every migration, that give the app's
    PostgreSQL role ``role`` the rights it needs: read and write the domain tables, only INSERT and
    SELECT on ``audit_events``, SELECT and UPDATE (the head moves forward, a trigger sees to that) on
    ``audit_head``. Not being the owner, the role cannot disable the
    append-only triggers, truncate or alter the trail."""
    if not _ROLE_NAME.fullmatch(role):
        raise ValueError(f"{role!r} is not a plain PostgreSQL role name (lower case letters, digits, _).")
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events FROM {role}",
        f"REVOKE INSERT, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_head FROM {role}",
    ]
