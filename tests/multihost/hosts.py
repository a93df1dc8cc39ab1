"""Separate hosts on this machine: Linux network namespaces joined by veth pairs to one bridge.

Each `Host` is a namespace with its own loopback and one address on a private /24 of the
bridge; the machine itself (where the test runs, as a visitor from outside) has the bridge's
`.1`. A process started on a host (`Host.start`, `Host.run`) sees only that host's network:
it reaches the others by their addresses, as on a LAN, and 127.0.0.1 is its own. Used by
tests/multihost/test_cluster.py. `Network.close()` removes every
namespace, link and process it made, also after a failure half-way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@dataclass
class Host:
    name: str  # the namespace
    address: str
    processes: list[subprocess.Popen] = field(default_factory=list)

    def command(self, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.name, *argv]

    def start(self, argv: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
              log: Path | None = None) -> subprocess.Popen:
        """A long-running process on this host, in a process group of its own (to kill it whole)."""
        out = log.open("ab") if log else subprocess.DEVNULL
        proc = subprocess.Popen(self.command(argv), env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.processes.append(proc)
        return proc

    def run(self, argv: list[str], **kwargs) -> subprocess.CompletedProcess:
        kwargs.setdefault("check", True)
        kwargs.setdefault("capture_output", True)
        kwargs.setdefault("timeout", 120)
        return subprocess.run(self.command(argv), **kwargs)

    @staticmethod
    def kill(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        """`sig` to the process and everything it started (gunicorn's or celery's children)."""
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        # And its children, which may outlive the parent by a moment: until they are gone, a
        # connection can still be accepted on the socket they share.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.02)


class Network:
    """A bridge with a /24 of 10.213.0.0/16 chosen from this process's id, and hosts on it."""

    def __init__(self, tag: str | None = None) -> None:
        self.tag = tag or str(os.getpid() % 100000)
        self.prefix = f"10.213.{os.getpid() % 250}"
        self.bridge = f"smb{self.tag}"
        self.gateway = f"{self.prefix}.1"  # this machine, on the bridge
        self.hosts: dict[str, Host] = {}
        _ip("link", "add", self.bridge, "type", "bridge")
        _ip("addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        _ip("link", "set", self.bridge, "up")

    def add(self, role: str, number: int) -> Host:
        """A host `role` at `.number` of the network (its namespace `sm<tag>-<role>`)."""
        name, address = f"sm{self.tag}-{role}", f"{self.prefix}.{number}"
        outside, inside = f"v{self.tag}o{number}", f"v{self.tag}i{number}"
        _ip("netns", "add", name)
        host = Host(name=name, address=address)
        self.hosts[role] = host
        _ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        _ip("link", "set", inside, "netns", name)
        _ip("link", "set", outside, "master", self.bridge)
        _ip("link", "set", outside, "up")
        _ip("-n", name, "addr", "add", f"{address}/24", "dev", inside)
        _ip("-n", name, "link", "set", inside, "up")
        _ip("-n", name, "link", "set", "lo", "up")
        return host

    def close(self) -> None:
        for host in self.hosts.values():
            for proc in host.processes:
                Host.kill(proc)
        for host in self.hosts.values():
            # Deleting the namespace deletes its end of the veth, and with it the other end.
            subprocess.run(["ip", "netns", "delete", host.name], capture_output=True, timeout=30)
        subprocess.run(["ip", "link", "delete", self.bridge], capture_output=True, timeout=30)
        self.hosts.clear()


def namespaces_left(tag: str) -> list[str]:
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.startswith(f"sm{tag}-")]


def wait_for_http(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer")
        time.sleep(0.2)
