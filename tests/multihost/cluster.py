"""The product on several hosts (issue 19): network namespaces as machines (tests/multihost/hosts.py).

    db       .2   PostgreSQL primary on :5432 and its streaming standby (pg_basebackup) on :5433
    redis    .3   one Redis: broker, cache, sessions' neighbours, beat's lock
    lb       .4   HAProxy from Debian's package, round robin over the web nodes on :80
    web1..   .11  gunicorn (2 workers each), public reads from the standby (DATABASE_REPLICA_URL)
    worker1.. .21 celery worker (prefork, one pool process each)
    (this machine) .1  the visitor, the SMTP server the workers send to, the shared media folder

The media folder is one directory that every node is given (what an NFS mount is in
production); the database gets the schema of the test database (pg_dump of it, so no
migration runs here) and the data of tests/multihost/setup_data.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

from tests.multihost.hosts import Host, Network, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"
PRIMARY_PORT, STANDBY_PORT = 5432, 5433


@dataclass
class Cluster:
    web_nodes: int = 2
    workers: int = 2
    public_reads_from_standby: bool = True
    env_extra: dict[str, str] = field(default_factory=dict)
    logs_in: Path | None = None  # where the logs go (kept after close); the data folder if None
    net: Network | None = None
    root: Path | None = None
    webs: dict[str, subprocess.Popen] = field(default_factory=dict)
    celery: dict[str, subprocess.Popen] = field(default_factory=dict)
    data: dict[str, object] = field(default_factory=dict)
    smtp: object | None = None
    _pg_started: list[Path] = field(default_factory=list)

    # --- addresses ----------------------------------------------------------------------

    def host(self, role: str) -> Host:
        assert self.net is not None
        return self.net.hosts[role]

    @property
    def url(self) -> str:
        """The load balancer, as a visitor reaches it."""
        return f"http://{self.host('lb').address}"

    def dsn(self, port: int = PRIMARY_PORT) -> str:
        return f"host={self.host('db').address} port={port} user=postgres dbname=samordna"

    def database_url(self, port: int = PRIMARY_PORT) -> str:
        return f"postgres://postgres@{self.host('db').address}:{port}/samordna"

    @property
    def redis_url(self) -> str:
        return f"redis://{self.host('redis').address}:6379/0"

    def sql(self, query: str, params: tuple | list = (), port: int = PRIMARY_PORT) -> list[tuple]:
        with psycopg.connect(self.dsn(port), autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    # --- start and stop -------------------------------------------------------------------

    def start(self, schema_from: dict) -> Cluster:
        from tests.conftest import SmtpServer

        self.root = Path(tempfile.mkdtemp(prefix="samordna-hosts-"))
        self.root.chmod(0o755)
        self.logs_in = self.logs_in or self.root
        self.net = Network()
        self.net.add("db", 2)
        self.net.add("redis", 3)
        self.net.add("lb", 4)
        for n in range(1, self.web_nodes + 1):
            self.net.add(f"web{n}", 10 + n)
        for n in range(1, self.workers + 1):
            self.net.add(f"worker{n}", 20 + n)
        self._postgres(schema_from)
        self.host("redis").start(["redis-server", "--bind", self.host("redis").address, "--port", "6379",
                                  "--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir", str(self.root)],
                                 log=self.logs_in / "redis.log")
        self.smtp = SmtpServer(host=self.net.gateway)
        self.smtp.controller.start()  # type: ignore[attr-defined]
        (self.root / "media").mkdir()
        setup = subprocess.run([sys.executable, str(ROOT / "tests" / "multihost" / "setup_data.py")], cwd=ROOT,
                               env=self.env(), capture_output=True, text=True, timeout=300)
        if setup.returncode != 0:
            raise RuntimeError(setup.stderr[-3000:])
        self.data = json.loads(setup.stdout.strip().splitlines()[-1])
        for n in range(1, self.web_nodes + 1):
            self.start_web(f"web{n}")
        for n in range(1, self.workers + 1):
            self.start_worker(f"worker{n}")
        self._haproxy()
        return self

    def env(self) -> dict[str, str]:
        assert self.net is not None and self.root is not None
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url(),
            "REDIS_URL": self.redis_url,
            "DEBUG": "false",
            "ALLOWED_HOSTS": ",".join(h.address for h in self.net.hosts.values()),
            "SITE_URL": self.url,
            "MEDIA_ROOT": str(self.root / "media"),
            "DB_CONN_MAX_AGE": "60",
            "PUBLIC_CACHE_SECONDS": "120",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.net.gateway,
            "EMAIL_PORT": str(self.smtp.port) if self.smtp else "25",  # type: ignore[attr-defined]
            "MAIL_RETRY_SECONDS": "1",
            "MAIL_RETRY_MAX_SECONDS": "2",
            # A render whose worker died is taken over after its lease, found by the sweep.
            "DOCUMENT_LEASE_SECONDS": "10",
            "WORKER_SWEEP_SECONDS": "2",
            **self.env_extra,
        }
        if self.public_reads_from_standby:
            env["DATABASE_REPLICA_URL"] = self.database_url(STANDBY_PORT)
        else:
            env.pop("DATABASE_REPLICA_URL", None)
        return env

    def start_web(self, role: str) -> None:
        host = self.host(role)
        assert self.root is not None
        self.webs[role] = host.start(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{host.address}:8000",
             "--workers", "2", "--log-level", "warning"],
            env=self.env(), cwd=ROOT, log=self.logs_in / f"{role}.log",
        )
        wait_for_http(f"http://{host.address}:8000/robots.txt", self.webs[role])

    def start_worker(self, role: str) -> None:
        host = self.host(role)
        assert self.root is not None
        log = self.logs_in / f"{role}.log"
        self.celery[role] = host.start(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "--concurrency=1",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", f"--hostname={role}@cluster"],
            env=self.env(), cwd=ROOT, log=log,
        )
        deadline = time.monotonic() + 60
        while b" ready." not in log.read_bytes():
            if self.celery[role].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{role} did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)

    def kill(self, role: str) -> None:
        """kill -9 of a web node or a worker, with every process it started."""
        proc = self.webs.get(role) or self.celery[role]
        Host.kill(proc)

    def _postgres(self, schema_from: dict) -> None:
        assert self.root is not None
        db, root = self.host("db"), self.root
        shutil.chown(root, "postgres")
        primary, standby = root / "primary", root / "standby"

        def as_postgres(*argv: str) -> None:
            db.run(["runuser", "-u", "postgres", "--", *argv])

        as_postgres(str(PG_BIN / "initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres", "--no-sync")
        with (primary / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {PRIMARY_PORT}\nlisten_addresses = '{db.address}'\n"
                       f"unix_socket_directories = '{root}'\nfsync = off\nwal_level = replica\n"
                       "max_wal_senders = 4\nmax_connections = 200\n")
        with (primary / "pg_hba.conf").open("a") as hba:
            subnet = f"{self.host('db').address.rsplit('.', 1)[0]}.0/24"
            hba.write(f"host all all {subnet} trust\nhost replication all {subnet} trust\n")
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(primary), "-l", str(root / "primary.log"), "-w", "start")
        self._pg_started.append(primary)
        as_postgres(str(PG_BIN / "pg_basebackup"), "-h", db.address, "-p", str(PRIMARY_PORT), "-U", "postgres",
                    "-D", str(standby), "-R", "-X", "stream", "--no-sync")
        with (standby / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"port = {STANDBY_PORT}\nhot_standby = on\n")
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(standby), "-l", str(root / "standby.log"), "-w", "start")
        self._pg_started.append(standby)
        subprocess.run(["psql", "-h", db.address, "-p", str(PRIMARY_PORT), "-U", "postgres", "-q",
                        "-c", "CREATE DATABASE samordna"], check=True, capture_output=True)
        dump = subprocess.run(["pg_dump", "-h", schema_from["HOST"] or "127.0.0.1",
                               "-p", str(schema_from["PORT"] or 5432), "-U", schema_from["USER"], "--no-owner",
                               schema_from["NAME"]], check=True, capture_output=True)
        subprocess.run(["psql", "-h", db.address, "-p", str(PRIMARY_PORT), "-U", "postgres", "-q",
                        "-d", "samordna", "-v", "ON_ERROR_STOP=1"], input=dump.stdout, check=True,
                       capture_output=True)

    def _haproxy(self) -> None:
        assert self.root is not None
        lb = self.host("lb")
        servers = "\n".join(f"    server {role} {self.host(role).address}:8000 check" for role in self.webs)
        # A test may ask for one node with the header X-Pin (ignored while that node is down).
        pins = "\n".join(f"    use-server {role} if {{ req.hdr(x-pin) -m str {role} }}" for role in self.webs)
        config = self.root / "haproxy.cfg"
        config.write_text(f"""global
    maxconn 1024
    log stdout format raw local0
    stats socket {self.root}/haproxy.sock mode 600 level admin
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A request that could not reach a node (connection refused) goes to another: safe for a
    # POST too, as nothing was sent. One that reached a node is never sent twice.
    retries 3
    retry-on conn-failure
    option redispatch 1
frontend public
    bind {lb.address}:80
    default_backend nodes
    http-response set-header X-Node %s
backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /robots.txt hdr Host {lb.address}
    default-server inter 500ms fall 2 rise 2
{servers}
{pins}
""")
        proxy = lb.start(["haproxy", "-db", "-f", str(config)], log=self.logs_in / "haproxy.log")
        deadline = time.monotonic() + 30
        while True:  # both nodes up in HAProxy's view: alternate answers from each
            try:
                seen = {httpx.get(f"{self.url}/robots.txt", timeout=2).headers.get("x-node") for _ in range(4)}
                if seen == set(self.webs):
                    return
            except httpx.HTTPError:
                pass
            if proxy.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"HAProxy did not serve both nodes: {self.logs()}")
            time.sleep(0.3)

    def balance(self, *roles: str) -> None:
        """Only these web nodes get requests from the load balancer (HAProxy's runtime API)."""
        import socket

        assert self.root is not None
        for role in self.webs:
            with socket.socket(socket.AF_UNIX) as sock:
                sock.connect(str(self.root / "haproxy.sock"))
                sock.sendall(f"{'enable' if role in roles else 'disable'} server nodes/{role}\n".encode())
                sock.recv(4096)

    def restart_webs(self, *, public_reads_from_standby: bool) -> None:
        """Every web node again, reading the public pages from the standby or the primary."""
        self.public_reads_from_standby = public_reads_from_standby
        for role in list(self.webs):
            self.kill(role)
            self.start_web(role)

    def close(self) -> None:
        for data in reversed(self._pg_started):
            subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(data),
                            "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        if self.net is not None:
            self.net.close()
        if self.smtp is not None:
            self.smtp.controller.stop()  # type: ignore[attr-defined]
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)

    def logs(self) -> str:
        """The tail of every log, for a failing test's message."""
        if self.logs_in is None or not self.logs_in.exists():
            return ""
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-1500:]}" for p in sorted(self.logs_in.glob("*.log")))
