"""The compose file scales (issue 19): `docker compose up --scale web=3 --scale worker=3` must
not collide on a published port, must not run migrations in several containers at once, and
has its own load balancer whose configuration HAProxy itself accepts. No Docker engine runs
here, so the file is read as YAML and the load balancer's file checked with `haproxy -c`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_only_the_load_balancer_publishes_a_port_so_web_and_worker_scale():
    services = _services()
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"lb"}
    assert services["lb"]["depends_on"] == ["web"]


def test_migrations_run_once_before_every_scaled_service():
    services = _services()
    assert services["migrate"]["command"] == "python manage.py migrate --no-input"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
        assert "migrate" not in str(services[name]["command"]), name


def test_the_load_balancer_finds_every_web_container_and_haproxy_accepts_its_configuration():
    services = _services()
    (mount,) = services["lb"]["volumes"]
    source = ROOT / mount.split(":")[0]
    config = source.read_text()
    assert "server-template web 1-20 web:8000 check" in config  # one slot per scaled container
    assert "retry-on conn-failure" in config and "resolvers docker" in config
    check = subprocess.run(["haproxy", "-c", "-f", str(source)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
