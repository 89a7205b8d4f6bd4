"""Fixtures of the storage tests: moto's standalone S3 server on 127.0.0.1 (a real HTTP server the app talks
to through boto3, never a mock inside the process), a fresh bucket per test, and the app on either backend."""

from __future__ import annotations

import socket
import uuid

import pytest

REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def aws_credentials(monkeypatch):
    """boto3's standard environment credentials, as a server would have them (moto takes any)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "zone-test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "zone-test-secret")
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/zone-aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/zone-aws-credentials")


@pytest.fixture
def s3(s3_endpoint, aws_credentials):
    """A client of the test S3 server, for looking at the bucket from outside the app."""
    from zone.storage.backends import s3_client

    return s3_client(endpoint_url=s3_endpoint, region=REGION)


@pytest.fixture
def bucket(s3):
    name = f"zone-storage-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3_settings(s3_endpoint, bucket):
    return {"STORAGE_BACKEND": "s3", "S3_BUCKET": bucket, "S3_PREFIX": "zone/documents",
            "S3_ENDPOINT_URL": s3_endpoint, "S3_REGION": REGION}


@pytest.fixture(params=["local", "s3"])
def backend(request):
    return request.param


@pytest.fixture
def app_overrides(request, backend):
    """The app on the backend of the test's parameter (S3 settings only when it is S3)."""
    if backend == "s3":
        return dict(request.getfixturevalue("s3_settings"))
    return {"STORAGE_BACKEND": "local"}
