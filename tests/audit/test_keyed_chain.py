"""The chain is keyed: every entry's hash is an HMAC under a key held outside the database, so whoever
can rewrite the table but does not hold the key cannot re-hash a changed history into a valid one.
Entries hashed before the chain was keyed (plain SHA-256) still verify, up to the first keyed entry."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import select

from zone.audit.keys import ChainKeyError, chain_key
from zone.audit.models import AuditEvent
from zone.audit.services import chain_hash, keyed_hash, plain_hash, record, seal_chain, verify_chain
from zone.extensions import db


def _result(report) -> tuple:
    return report.ok, report.first_bad_seq, report.problem


def _entries() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def test_every_entry_is_sealed_with_the_chain_key(fill_chain):
    fill_chain(3)
    key = chain_key()
    for entry in _entries():
        assert entry.hash == keyed_hash(entry.prev_hash, entry, key) == chain_hash(entry.prev_hash, entry)
        assert entry.hash != plain_hash(entry.prev_hash, entry)
    report = verify_chain()
    assert report.ok and report.keyed_from == 1 and report.to_dict()["keyed_from"] == 1


# --- an intruder without the key ------------------------------------------------------------------

def test_an_entry_deleted_and_the_rest_rehashed_with_plain_sha256_is_found(fill_chain, rewrite_history, client,
                                                                         make_user, api_token, runner):
    fill_chain(6)
    rewrite_history(start=3, hash_of=plain_hash, delete={3})
    assert _result(verify_chain()) == (False, 3, "altered")

    headers = api_token(make_user("auditor"))  # new, keyed entries on top of the forged ones
    body = client.get("/api/v1/audit/verify", headers=headers).get_json()
    assert (body["ok"], body["first_bad_seq"], body["length"]) == (False, 3, 7)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "first bad seq 3" in result.output


def test_an_entry_edited_and_rehashed_with_plain_sha256_is_found_where_it_was_edited(fill_chain, rewrite_history):
    fill_chain(6)
    rewrite_history(start=4, hash_of=plain_hash, change={"actor": "someone else"})
    assert _result(verify_chain()) == (False, 4, "altered")


def test_a_whole_history_rehashed_with_plain_sha256_is_not_keyed(fill_chain, rewrite_history, client, make_user,
                                                                  api_token):
    fill_chain(5)
    rewrite_history(start=1, hash_of=plain_hash, delete={2})
    report = verify_chain()
    assert _result(report) == (False, 1, "unkeyed") and report.keyed_from is None
    headers = api_token(make_user("auditor"))
    body = client.get("/api/v1/audit/verify", headers=headers).get_json()
    assert (body["ok"], body["first_bad_seq"]) == (False, 1)  # keyed entries after plain ones do not help


def test_a_chain_checked_with_another_key_fails_from_its_first_entry(fill_chain, app):
    fill_chain(3)
    app.config["AUDIT_CHAIN_KEY"] = "another-key-of-at-least-32-characters"
    assert _result(verify_chain()) == (False, 1, "altered")


def test_a_history_rehashed_with_the_key_still_passes_the_chain_alone(fill_chain, rewrite_history):
    """Whoever holds the key can re-hash: that is what published anchors are for (test_published_anchors)."""
    fill_chain(5)
    rewrite_history(start=2, hash_of=chain_hash, delete={2})
    assert verify_chain().ok


# --- entries hashed before the chain was keyed ----------------------------------------------------

def test_an_upgraded_chain_keeps_plain_hashes_until_it_is_sealed(legacy_chain):
    """Keying an upgraded chain implicitly would key an intruder's re-hashed chain just the same."""
    legacy_chain(4)
    record("test.after_upgrade")
    db.session.commit()
    last = _entries()[-1]
    assert last.hash == plain_hash(last.prev_hash, last)
    assert _result(verify_chain()) == (False, 1, "unkeyed")


def test_entries_hashed_before_keying_still_verify_once_sealed(legacy_chain):
    legacy_chain(4)
    assert seal_chain() == 5
    db.session.commit()
    record("test.after_upgrade")
    db.session.commit()
    report = verify_chain()
    assert report.ok and report.length == 6 and report.keyed_from == 5
    for entry in _entries()[4:]:
        assert entry.hash == keyed_hash(entry.prev_hash, entry, chain_key())
    assert seal_chain() is None  # sealed once


def test_an_upgraded_chain_is_sealed_by_init_key_once(legacy_chain, runner):
    legacy_chain(3)
    # a key is configured but no entry is keyed yet: nobody can tell this from a forged chain
    assert _result(verify_chain()) == (False, 1, "unkeyed")
    result = runner.invoke(args=["audit", "init-key"])
    assert result.exit_code == 0, result.output
    assert "keyed from entry 4" in result.output
    sealed = _entries()[-1]
    assert (sealed.seq, sealed.action) == (4, "audit.chain_keyed")
    assert sealed.details == {"keyed_from": 4, "legacy_entries": 3}
    assert verify_chain().ok and verify_chain().keyed_from == 4
    result = runner.invoke(args=["audit", "init-key"])
    assert result.exit_code == 0 and len(_entries()) == 4  # already keyed: nothing more is recorded


def test_entries_before_keying_cannot_be_rewritten_without_the_key(legacy_chain, rewrite_history):
    legacy_chain(4)
    seal_chain()  # 5
    record("test.after_upgrade")  # 6
    db.session.commit()
    # the plain part is re-hashed, the keyed entries are left alone: the first keyed one names the old hash
    rewrite_history(start=2, end=4, hash_of=plain_hash, change={"actor": "someone else"})
    assert _entries()[1].actor == "someone else"
    assert _result(verify_chain()) == (False, 4, "rewritten")
    # re-hashing the keyed entries too leaves no keyed entry at all
    rewrite_history(start=5, hash_of=plain_hash)
    assert _result(verify_chain()) == (False, 1, "unkeyed")


def test_plain_entries_after_keyed_ones_are_refused(legacy_chain, fill_chain, rewrite_history):
    legacy_chain(2)
    seal_chain()
    db.session.commit()
    fill_chain(2)  # keyed from 3, the seal
    rewrite_history(start=4, hash_of=plain_hash, change={"actor": "someone else"})
    assert _result(verify_chain()) == (False, 4, "altered")


# --- custody of the key ---------------------------------------------------------------------------

def test_init_key_creates_a_private_key_file_once(runner, app, tmp_path):
    path = tmp_path / "keys" / "chain.key"
    app.config.update(AUDIT_CHAIN_KEY=None, AUDIT_CHAIN_KEY_FILE=path)
    result = runner.invoke(args=["audit", "init-key"])
    assert result.exit_code == 0, result.output
    assert str(path) in result.output
    key = path.read_text().strip()
    assert len(key) == 64 and int(key, 16) >= 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert runner.invoke(args=["audit", "init-key"]).exit_code == 0
    assert path.read_text().strip() == key


def test_the_key_in_the_environment_wins_over_the_file(ctx, app, tmp_path):
    app.config.update(AUDIT_CHAIN_KEY="k" * 40, AUDIT_CHAIN_KEY_FILE=tmp_path / "absent.key")
    assert chain_key() == b"k" * 40
    assert not (tmp_path / "absent.key").exists()


def test_a_short_key_is_refused(ctx, app):
    app.config["AUDIT_CHAIN_KEY"] = "too-short"
    with pytest.raises(ChainKeyError, match="32"):
        chain_key()


def test_production_never_makes_up_a_key(ctx, app, tmp_path):
    app.config.update(ENV_NAME="production", AUDIT_CHAIN_KEY=None, AUDIT_CHAIN_KEY_FILE=tmp_path / "absent.key")
    with pytest.raises(ChainKeyError, match="AUDIT_CHAIN_KEY"):
        chain_key()
    assert not (tmp_path / "absent.key").exists()


def _production(**overrides):
    """The production configuration with what it needs, settings passed as the app will hold them."""
    from zone import create_app

    settings = {"SECRET_KEY": "p" * 48, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "BASE_URL": "https://residents.zone.test"}
    settings.update(overrides)
    return create_app("production", settings)


def test_production_refuses_to_start_without_a_chain_key(tmp_path):
    from config import ConfigurationError

    absent = tmp_path / "absent.key"
    with pytest.raises(ConfigurationError, match="AUDIT_CHAIN_KEY"):
        _production(AUDIT_CHAIN_KEY="", AUDIT_CHAIN_KEY_FILE=absent)
    with pytest.raises(ConfigurationError, match="AUDIT_CHAIN_KEY"):
        _production(AUDIT_CHAIN_KEY="short", AUDIT_CHAIN_KEY_FILE=absent)


@pytest.mark.parametrize("source", ["environment", "file"])
def test_production_starts_with_a_chain_key(tmp_path, source):
    if source == "environment":
        app = _production(AUDIT_CHAIN_KEY="k" * 48, AUDIT_CHAIN_KEY_FILE=tmp_path / "absent.key")
    else:
        (tmp_path / "chain.key").write_text("f" * 64 + "\n")
        app = _production(AUDIT_CHAIN_KEY="", AUDIT_CHAIN_KEY_FILE=tmp_path / "chain.key")
    assert app.config["ENV_NAME"] == "production"
