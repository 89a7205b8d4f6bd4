"""The two places stored files can live: a local directory and an S3-compatible bucket.

Both keep a file under a server-made key (``ab/0123…``: a short fan-out directory, then a random name) and
offer the same few operations. Neither ever makes a public or presigned URL: every download is streamed
through the app, behind its access checks.
"""

from __future__ import annotations

import os
import re
import secrets
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 64 * 1024
# Keys are made by the server; anything else (a "..", an absolute path, a stray character) is refused.
KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(/[A-Za-z0-9][A-Za-z0-9_-]*)*")


class StorageError(Exception):
    """A stored file could not be handled; the subclasses say why."""


class Missing(StorageError):
    """No file is stored under the key."""


class Damaged(StorageError):
    """The stored bytes are not the ones recorded (their SHA-256 differs)."""


class Unavailable(StorageError):
    """The storage did not answer (an object store down or refusing the credentials)."""


def new_key() -> str:
    """A fresh server-made key in the layout every install has used: ``xx/`` then 32 hex digits."""
    return f"{secrets.token_hex(1)}/{secrets.token_hex(16)}"


def check_key(key: str) -> str:
    if not isinstance(key, str) or len(key) > 200 or not KEY_PATTERN.fullmatch(key):
        raise Missing(f"not a storage key: {key!r}")
    return key


class Storage(ABC):
    """Bytes under keys. ``put`` replaces atomically: a reader sees the old file or the new one, never half."""

    name: str

    @abstractmethod
    def put(self, key: str, stream: BinaryIO) -> None:
        """Store everything ``stream`` yields (read in chunks) under ``key``."""

    @abstractmethod
    def open(self, key: str) -> BinaryIO:
        """A binary stream of the file; raises Missing or Unavailable. The caller closes it."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the file; a missing one is no error."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def keys(self) -> Iterator[str]:
        """Every stored key, in no particular order."""

    def describe(self) -> str:
        return self.name


class LocalStorage(Storage):
    """Files in a directory (``UPLOAD_DIR``) outside the web root, one file per key, as zone always stored them."""

    name = "local"

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def describe(self) -> str:
        return f"local directory {self.root}"

    def path(self, key: str) -> Path:
        """Where the key's file is; never outside the root (a symlink or crafted key cannot leave it)."""
        base = self.root.resolve()
        path = (base / check_key(key)).resolve()
        if base not in path.parents:
            raise Missing(f"outside the storage directory: {key!r}")
        return path

    def put(self, key: str, stream: BinaryIO) -> None:
        final = self.path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(f"{final.name}.{secrets.token_hex(4)}.part")
        try:
            with partial.open("xb") as out:
                while chunk := stream.read(CHUNK):
                    out.write(chunk)
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)

    def open(self, key: str) -> BinaryIO:
        path = self.path(key)
        try:
            return path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise Missing(key) from None

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        try:
            return self.path(key).is_file()
        except Missing:
            return False

    def keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in self.root.rglob("*"):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and KEY_PATTERN.fullmatch(key):  # skips half-written ".part" files
                yield key


class S3Storage(Storage):
    """Objects in an S3-compatible bucket under ``prefix``; private (no ACL is ever set, no URL ever made)."""

    name = "s3"

    def __init__(self, client, bucket: str, prefix: str = ""):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def describe(self) -> str:
        return f"S3 bucket {self.bucket}" + (f" under {self.prefix}" if self.prefix else "")

    def _object(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, stream: BinaryIO) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            # upload_fileobj streams in parts for large files; an object appears only when complete.
            self.client.upload_fileobj(stream, self.bucket, self._object(key))
        except (BotoCoreError, ClientError) as error:
            raise Unavailable(f"{self.describe()}: {error}") from error

    def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._object(key))["Body"]
        except ClientError as error:
            if _not_found(error):
                raise Missing(key) from None
            raise Unavailable(f"{self.describe()}: {error}") from error
        except BotoCoreError as error:
            raise Unavailable(f"{self.describe()}: {error}") from error

    def delete(self, key: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._object(key))
        except (BotoCoreError, ClientError) as error:
            raise Unavailable(f"{self.describe()}: {error}") from error

    def exists(self, key: str) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            name = self._object(key)
        except Missing:
            return False
        try:
            self.client.head_object(Bucket=self.bucket, Key=name)
        except ClientError as error:
            if _not_found(error):
                return False
            raise Unavailable(f"{self.describe()}: {error}") from error
        except BotoCoreError as error:
            raise Unavailable(f"{self.describe()}: {error}") from error
        return True

    def keys(self) -> Iterator[str]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
            for page in pages:
                for item in page.get("Contents", ()):
                    key = item["Key"][len(self.prefix):]
                    if KEY_PATTERN.fullmatch(key):
                        yield key
        except (BotoCoreError, ClientError) as error:
            raise Unavailable(f"{self.describe()}: {error}") from error


def _not_found(error) -> bool:
    return error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}


def s3_client(*, endpoint_url: str | None, region: str | None):
    """A boto3 S3 client; credentials come from boto3's usual chain (``AWS_ACCESS_KEY_ID`` and
    ``AWS_SECRET_ACCESS_KEY``, a profile, an instance role)."""
    import boto3
    from botocore.config import Config

    config = Config(signature_version="s3v4", retries={"max_attempts": 3, "mode": "standard"},
                    connect_timeout=5, read_timeout=30, s3={"addressing_style": "path" if endpoint_url else "auto"})
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url or None, region_name=region or None,
                                          config=config)
