"""One behaviour, two backends: the local directory and S3 (moto's server) keep, list, replace and remove
files under server-made keys, and a read whose bytes differ from the recorded SHA-256 is refused."""

from __future__ import annotations

import hashlib
import io
import logging

import pytest

from zone.storage import services
from zone.storage.backends import Damaged, LocalStorage, Missing, S3Storage, new_key

CONTENT = b"%PDF-1.7\n" + bytes(range(256)) * 800 + b"\n%%EOF\n"  # > 200 KB: several read chunks


@pytest.fixture
def storage(request, backend, tmp_path):
    if backend == "s3":
        return services.build(request.getfixturevalue("s3_settings"))
    return services.build({"STORAGE_BACKEND": "local", "UPLOAD_DIR": tmp_path / "uploads"})


def test_the_backend_is_the_one_configured(storage, backend):
    assert storage.name == backend
    assert isinstance(storage, {"local": LocalStorage, "s3": S3Storage}[backend])


def test_a_file_is_kept_read_listed_and_removed(storage):
    key = new_key()
    assert not storage.exists(key)
    storage.put(key, io.BytesIO(CONTENT))
    assert storage.exists(key)
    with storage.open(key) as stored:
        assert stored.read() == CONTENT
    assert list(storage.keys()) == [key]
    storage.delete(key)
    assert not storage.exists(key) and list(storage.keys()) == []
    storage.delete(key)  # removing what is gone is no error


def test_put_replaces_the_whole_file(storage):
    key = new_key()
    storage.put(key, io.BytesIO(CONTENT))
    storage.put(key, io.BytesIO(b"short"))
    with storage.open(key) as stored:
        assert stored.read() == b"short"


def test_reading_a_missing_key_says_missing(storage):
    with pytest.raises(Missing):
        storage.open(new_key())


@pytest.mark.parametrize("key", ["../outside", "/etc/passwd", "ab/../../x", "ab/name.pdf", "", "ab//cd", "a b"])
def test_keys_that_are_not_server_made_are_refused(storage, key):
    with pytest.raises(Missing):
        storage.put(key, io.BytesIO(b"x"))
    with pytest.raises(Missing):
        storage.open(key)
    assert not storage.exists(key)


def test_a_read_checked_against_the_recorded_sha256_returns_the_bytes(storage):
    key = new_key()
    storage.put(key, io.BytesIO(CONTENT))
    with services.open_verified(key, hashlib.sha256(CONTENT).hexdigest(), storage=storage) as data:
        assert data.read() == CONTENT


def test_a_read_whose_bytes_differ_is_refused_and_logged(storage, caplog):
    key = new_key()
    storage.put(key, io.BytesIO(CONTENT))
    storage.put(key, io.BytesIO(CONTENT[:-2] + b"X\n"))  # the bytes changed behind the app's back
    with caplog.at_level(logging.ERROR, logger="zone.storage.services"), pytest.raises(Damaged):
        services.open_verified(key, hashlib.sha256(CONTENT).hexdigest(), storage=storage)
    assert any("damaged" in r.getMessage() and key in r.getMessage() for r in caplog.records)


def test_the_local_backend_keeps_the_layout_of_existing_installs(tmp_path):
    root = tmp_path / "uploads"
    (root / "ab").mkdir(parents=True)
    (root / "ab" / "0123456789abcdef0123456789abcdef").write_bytes(b"an old upload")
    (root / "ab" / "0123456789abcdef0123456789abcdef.part").write_bytes(b"half written")
    storage = LocalStorage(root)
    assert list(storage.keys()) == ["ab/0123456789abcdef0123456789abcdef"]
    storage.put("cd/00112233445566778899aabbccddeeff", io.BytesIO(b"new"))
    assert (root / "cd" / "00112233445566778899aabbccddeeff").read_bytes() == b"new"


def test_s3_objects_live_under_the_prefix_and_are_private(request, s3, bucket):
    storage = services.build(request.getfixturevalue("s3_settings"))
    key = new_key()
    storage.put(key, io.BytesIO(CONTENT))
    names = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert names == [f"zone/documents/{key}"]
    grants = s3.get_object_acl(Bucket=bucket, Key=f"zone/documents/{key}")["Grants"]
    assert all("URI" not in g["Grantee"] for g in grants)  # no AllUsers / AuthenticatedUsers grant
    other = S3Storage(storage.client, bucket, "elsewhere")
    assert list(other.keys()) == [] and not other.exists(key)
