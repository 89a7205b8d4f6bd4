"""DDL that makes ``audit_events`` append-only on both databases. Used by the models (create_all)
and by the Alembic migration, so the two cannot drift apart."""

from sqlalchemy import DDL

SEED_HEAD = DDL("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '')")

APPEND_ONLY_POSTGRESQL = [
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

APPEND_ONLY_SQLITE = [
    DDL(
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END"
    ),
    DDL(
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END"
    ),
]
