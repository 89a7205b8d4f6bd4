"""The chain key: the HMAC key every audit entry's hash is computed with, held outside the database.

Whoever can rewrite the ``audit_events`` table but does not hold this key cannot re-hash a changed
history into one that verifies. The key comes from ``AUDIT_CHAIN_KEY`` (the text itself, at least 32
characters) or else from the file ``AUDIT_CHAIN_KEY_FILE``. Outside production a missing file is
created with a random key (as ``make run`` and ``flask audit init-key`` do); production refuses to
start without a key (``config.ProductionConfig.check``) and never makes one up.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app

MIN_KEY_LENGTH = 32
_CACHE = "zone_audit_chain_key"


class ChainKeyError(RuntimeError):
    """The chain key is missing or unusable; ``str()`` says what to do."""


def chain_key() -> bytes:
    """The configured key (the UTF-8 bytes of its text). Raises ChainKeyError when there is none."""
    config = current_app.config
    source = (config.get("AUDIT_CHAIN_KEY") or None, str(config.get("AUDIT_CHAIN_KEY_FILE") or ""))
    cached = current_app.extensions.get(_CACHE)
    if cached is not None and cached[0] == source:
        return cached[1]
    key = _load(*source)
    current_app.extensions[_CACHE] = (source, key)
    return key


def _load(value: str | None, file: str) -> bytes:
    if value is None:
        if not file:
            raise ChainKeyError("No audit chain key: set AUDIT_CHAIN_KEY, or AUDIT_CHAIN_KEY_FILE to a key file.")
        path = Path(file)
        if not path.is_file():
            if current_app.config.get("ENV_NAME") == "production":
                raise ChainKeyError(f"No audit chain key: {path} does not exist. Set AUDIT_CHAIN_KEY, or "
                                    "AUDIT_CHAIN_KEY_FILE to the key file kept for this installation.")
            create_key_file(path)
        try:
            value = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise ChainKeyError(f"Cannot read the audit chain key file {path}: {error}") from None
    if len(value) < MIN_KEY_LENGTH:
        raise ChainKeyError(f"The audit chain key (AUDIT_CHAIN_KEY or its file) must be at least {MIN_KEY_LENGTH} "
                            "characters long.")
    return value.encode("utf-8")


def create_key_file(path: Path) -> bool:
    """Write a new random key (64 hex digits) to ``path``, readable by its owner only, unless a key is
    already there. Returns whether it was created. Safe when several processes start at once: the file
    appears complete or not at all, and the first one wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return False
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)  # fails if another process created it meanwhile: theirs is kept
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)
    return True


def key_source() -> str:
    """Where the key comes from, for messages (never the key itself)."""
    if current_app.config.get("AUDIT_CHAIN_KEY"):
        return "AUDIT_CHAIN_KEY"
    return str(current_app.config.get("AUDIT_CHAIN_KEY_FILE"))
