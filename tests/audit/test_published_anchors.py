"""Anchors published on a schedule: ``flask audit anchor`` signs the chain head, appends it to the
anchor file (``AUDIT_ANCHOR_DIR``) and mails it to the auditors; ``audit verify`` checks the chain
against the latest published anchor, so a history shortened or rewritten with the key is found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from zone.audit import cli as audit_cli
from zone.audit.anchors import verify_anchor
from zone.audit.models import AuditEvent
from zone.audit.publication import against_published
from zone.audit.services import chain_hash, record, verify_chain
from zone.certificates.signing import DEV_PASSPHRASE
from zone.extensions import db
from zone.mail.models import MailMessage


@pytest.fixture
def app_overrides():
    return {"SIGNING_P12_PASSPHRASE": DEV_PASSPHRASE, "AUDIT_ANCHOR_MAIL_TO": ["supervisor@gov.example"]}


@pytest.fixture
def anchor_file(app) -> Path:
    return Path(app.config["AUDIT_ANCHOR_DIR"]) / "anchors.jsonl"


def _published(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def _anchor(runner, *args: str):
    result = runner.invoke(args=["audit", "anchor", *args])
    db.session.expire_all()
    return result


def _verify_json(runner) -> tuple[int, dict]:
    result = runner.invoke(args=["audit", "verify", "--json"])
    return result.exit_code, json.loads(result.stdout)


# --- publishing ----------------------------------------------------------------------------------

def test_the_anchor_job_appends_to_the_file_and_mails_the_auditors(runner, fill_chain, make_user, anchor_file):
    auditor = make_user("auditor", locale="en")
    make_user("auditor", active=False)
    make_user("reviewer")
    fill_chain(3)
    result = _anchor(runner)
    assert result.exit_code == 0, result.output
    anchor = json.loads(result.stdout)
    [published] = _published(anchor_file)
    assert published == anchor and anchor["seq"] == 3 and verify_anchor(anchor).ok
    assert f"anchor of seq 3 published to {anchor_file}" in result.stderr

    mails = db.session.scalars(select(MailMessage).where(MailMessage.kind == "anchor")
                               .order_by(MailMessage.recipient)).all()
    assert [m.recipient for m in mails] == [auditor.email, "supervisor@gov.example"]
    body = mails[0].body
    assert json.loads(body[body.index("\n{"):body.rindex("}") + 1]) == anchor  # the mail carries the whole anchor
    assert "entry 3" in mails[0].subject

    recorded = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.anchor"))
    assert recorded.seq == 4 and recorded.details["seq"] == 3 and recorded.details["hash"] == anchor["hash"]
    assert recorded.details["mailed_to"] == 2 and recorded.details["published_to"] == str(anchor_file)


def test_the_file_is_only_appended_to_and_an_unchanged_trail_is_not_anchored_again(runner, fill_chain,
                                                                                  anchor_file):
    fill_chain(2)
    assert _anchor(runner).exit_code == 0
    first_line = anchor_file.read_bytes()
    result = _anchor(runner)  # nothing but the anchor's own record since: nothing new to anchor
    assert result.exit_code == 0 and "nothing new since the anchor of seq 2" in result.stderr
    assert json.loads(result.stdout)["seq"] == 2  # the latest published anchor is printed
    assert anchor_file.read_bytes() == first_line and _actions().count("audit.anchor") == 1
    fill_chain(1)
    assert _anchor(runner).exit_code == 0
    assert anchor_file.read_bytes().startswith(first_line)
    assert [a["seq"] for a in _published(anchor_file)] == [2, 4]


class _Stop(Exception):
    pass


def test_the_loop_publishes_an_anchor_every_interval(runner, fill_chain, anchor_file, monkeypatch):
    fill_chain(1)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:
            raise _Stop
        record("test.meanwhile")  # activity between two rounds
        db.session.commit()

    monkeypatch.setattr(audit_cli.time, "sleep", sleep)
    result = _anchor(runner, "--loop", "--interval", "600")
    assert isinstance(result.exception, _Stop)
    assert waits == [600, 600, 600]
    # round 1 anchors seq 1 (record 2), round 2 seq 3 (record 4), round 3 seq 5 (record 6)
    assert [a["seq"] for a in _published(anchor_file)] == [1, 3, 5]
    assert all(verify_anchor(a).ok for a in _published(anchor_file))


def test_the_loop_keeps_going_after_a_failed_round(runner, fill_chain, anchor_file, monkeypatch, app, tmp_path):
    fill_chain(1)
    app.config["SIGNING_P12_PATH"] = tmp_path / "absent.p12"
    rounds: list[float] = []

    def sleep(seconds: float) -> None:
        rounds.append(seconds)
        if len(rounds) == 2:
            raise _Stop
        app.config["SIGNING_P12_PATH"] = Path(app.config["SIGNING_CA_PATH"]).parent / "signer.p12"

    monkeypatch.setattr(audit_cli.time, "sleep", sleep)
    result = _anchor(runner, "--loop", "--interval", "5")
    assert isinstance(result.exception, _Stop)
    assert "No signing key at" in result.stderr
    assert [a["seq"] for a in _published(anchor_file)] == [1]


def test_the_job_publishes_nothing_over_a_broken_chain(runner, fill_chain, tamper, anchor_file):
    fill_chain(3)
    tamper("UPDATE audit_events SET actor = 'someone else' WHERE seq = 2")
    result = _anchor(runner)
    assert result.exit_code == 1
    assert "not published" in result.output and "first bad seq 2" in result.output
    assert not anchor_file.exists() and "audit.anchor" not in _actions()
    assert db.session.scalar(select(MailMessage).where(MailMessage.kind == "anchor")) is None


def test_an_anchor_directory_that_cannot_be_used_fails_loudly(runner, fill_chain, app, tmp_path, client,
                                                              login_as):
    fill_chain(1)
    (tmp_path / "not-a-dir").write_text("a file where the directory should be")
    app.config["AUDIT_ANCHOR_DIR"] = tmp_path / "not-a-dir"
    result = _anchor(runner)
    assert result.exit_code != 0 and "AUDIT_ANCHOR_DIR" in result.output
    assert "audit.anchor" not in _actions()
    # anchors that cannot be read confirm nothing: verification fails closed, the chain itself is fine
    status, body = _verify_json(runner)
    assert status == 1 and (body["ok"], body["first_bad_seq"], body["problem"]) == (False, None, "anchors_unreadable")
    assert body["published_anchor"]["problem"] == "unreadable"
    login_as("auditor")
    page = client.get("/audit/verify?lang=en").get_data(as_text=True)
    assert "flash-error" in page and "cannot be confirmed" in page and "AUDIT_ANCHOR_DIR" in page
    assert "cannot be confirmed" in client.get("/audit?lang=en").get_data(as_text=True)  # the last check


# --- verifying against the latest published anchor ------------------------------------------------

def test_truncating_the_tail_after_a_published_anchor_is_found(runner, fill_chain, tamper, client, make_user,
                                                               api_token):
    fill_chain(6)
    assert _anchor(runner).exit_code == 0  # anchors seq 6, recorded as 7
    headers = api_token(make_user("auditor"))  # 8, 9
    db.session.expire_all()
    third = db.session.get(AuditEvent, 3).hash
    tamper("DELETE FROM audit_events WHERE seq >= 4", "UPDATE audit_head SET seq = 3, hash = :h WHERE id = 1", h=third)
    assert verify_chain().ok  # what is left is an intact keyed chain: only the anchor knows there was more

    status, body = _verify_json(runner)
    assert status == 1
    assert (body["ok"], body["first_bad_seq"], body["problem"], body["length"]) == (False, 4, "truncated", 3)
    assert body["published_anchor"]["seq"] == 6 and body["published_anchor"]["ok"] is False
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "first bad seq 4 (truncated" in result.output
    assert "latest published anchor: seq 6" in result.output
    body = client.get("/api/v1/audit/verify", headers=headers).get_json()
    assert (body["ok"], body["first_bad_seq"], body["problem"]) == (False, 4, "truncated")


def test_a_history_rewritten_with_the_key_is_found_by_the_published_anchors(runner, fill_chain, rewrite_history):
    fill_chain(3)
    assert _anchor(runner).exit_code == 0  # seq 3, recorded as 4
    fill_chain(3)  # 5..7
    assert _anchor(runner).exit_code == 0  # seq 7, recorded as 8
    rewrite_history(start=6, hash_of=chain_hash, change={"actor": "someone else"})
    assert verify_chain().ok  # re-hashed with the key: the chain alone cannot tell
    status, body = _verify_json(runner)
    assert status == 1 and (body["first_bad_seq"], body["problem"]) == (7, "anchor_mismatch")
    rewrite_history(start=2, hash_of=chain_hash, change={"actor": "someone else"})
    status, body = _verify_json(runner)
    assert status == 1 and (body["first_bad_seq"], body["problem"]) == (3, "anchor_mismatch")
    assert body["verified_seq"] == 0


def test_an_intact_chain_passes_with_its_published_anchor(runner, fill_chain, client, make_user, api_token):
    fill_chain(4)
    assert _anchor(runner).exit_code == 0
    fill_chain(2)
    body = client.get("/api/v1/audit/verify", headers=api_token(make_user("auditor"))).get_json()
    assert body["ok"] is True and body["published_anchor"]["seq"] == 4
    status, body = _verify_json(runner)
    assert status == 0 and body["ok"] is True and body["keyed_from"] == 1
    assert body["published_anchor"] | {"created_at": None} == {
        "seq": 4, "hash": db.session.get(AuditEvent, 4).hash, "ok": True, "problem": None, "rejected": 0,
        "created_at": None}


def test_an_anchor_published_while_the_walk_ran_is_no_false_alarm(runner, fill_chain):
    fill_chain(2)
    report = verify_chain()  # the walk's snapshot holds 2 entries
    fill_chain(2)
    assert _anchor(runner).exit_code == 0  # meanwhile seq 4 is anchored and published
    checked = against_published(report)
    assert checked.ok and checked.published_anchor["seq"] == 4 and checked.published_anchor["ok"]


def test_no_published_anchor_yet_is_no_failure(runner, fill_chain):
    fill_chain(2)
    status, body = _verify_json(runner)
    assert status == 0 and body["ok"] is True and body["published_anchor"] is None


def test_lines_that_are_not_trusted_anchors_are_skipped_and_counted(runner, fill_chain, anchor_file):
    fill_chain(3)
    assert _anchor(runner).exit_code == 0
    anchor = _published(anchor_file)[0]
    forged = dict(anchor, seq=100, hash="0" * 64)  # would claim a longer history; its signature does not hold
    with anchor_file.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(forged) + "\n")
        handle.write('{"type": "zone-audit-anchor", "seq": 5')  # a write cut short
    status, body = _verify_json(runner)
    assert status == 0, body
    assert body["published_anchor"]["seq"] == 3 and body["published_anchor"]["rejected"] == 2


def test_the_verify_page_names_the_published_anchor(runner, fill_chain, client, login_as, tamper):
    fill_chain(3)
    assert _anchor(runner).exit_code == 0
    login_as("auditor")
    page = client.get("/audit/verify?lang=en").get_data(as_text=True)
    assert "flash-success" in page and "Checked against the latest published anchor: entry 3" in page
    tamper("DELETE FROM audit_events WHERE seq >= 2",
           "UPDATE audit_head SET seq = 1, hash = (SELECT hash FROM audit_events WHERE seq = 1) WHERE id = 1")
    page = client.get("/audit/verify?lang=en").get_data(as_text=True)
    assert "flash-error" in page and "shorter than a published anchor" in page
