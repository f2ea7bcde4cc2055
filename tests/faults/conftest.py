"""Real processes to break: a private redis-server, Celery workers and a gunicorn server.

Every fault test starts its own Redis on a free port (so stopping or killing it
never touches the Redis other test runs share), its own worker and server
processes in their own process groups (so a SIGKILL takes exactly them), and
points them at this test's database (pytest's, or a throwaway PostgreSQL
cluster for the database-restart test).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal as D
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

needs_redis_server = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict | None = None) -> str:
    """The URL of the database this test runs on (the pytest one), for child processes."""
    db = settings_dict or connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "127.0.0.1", safe="")
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until(predicate, *, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text()[-4000:] if log is not None and log.exists() else ""
    pytest.fail(f"Timed out waiting for {what}.\n{tail}")


@dataclass
class Proc:
    """A child process in its own process group, with its output in ``log``."""

    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = field(default=None)

    def start(self) -> Proc:
        out = self.log.open("a")
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
        )
        out.close()
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive:
            os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """SIGKILL the whole group (a worker's children too), as a lost machine would."""
        self.signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive:
            return
        self.signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


class RedisServer:
    """``redis-server`` on a free port, without persistence: stopping it loses nothing we keep."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.tmp_path = tmp_path
        self.proc: Proc | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no",
        ]  # fmt: skip
        self.proc = Proc(command, dict(os.environ), self.tmp_path / "redis.log").start()
        wait_until(self.ping, timeout=10, what="redis-server", log=self.proc.log)

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()


def child_env(*, redis_url: str, db_url: str, test_db: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "REDIS_URL": redis_url,
        "DATABASE_URL": db_url,
        "COVENANT_TEST_DB": test_db,
        "COVENANT_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "fault-tests",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_COOKIES": "0",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def start_worker(env: dict[str, str], log: Path, *, wait: bool = True) -> Proc:
    """A prefork worker (production's pool), one child; ``wait`` until it takes tasks."""
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
        "--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel", "INFO", "--hostname", f"fault-{free_port()}@%h",
    ]  # fmt: skip
    worker = Proc(command, env, log).start()
    if wait:
        worker_ready(worker)
    return worker


def worker_ready(worker: Proc) -> None:
    wait_until(
        lambda: "ready." in worker.log.read_text() or not worker.alive,
        timeout=90,
        what="the worker",
        log=worker.log,
    )
    assert worker.alive, worker.log.read_text()[-4000:]


def start_server(env: dict[str, str], log: Path, *, wait: bool = True) -> tuple[Proc, str]:
    """gunicorn as production runs it; returns the process and its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
        f"127.0.0.1:{port}", "--workers", "1", "--threads", "4", "--timeout", "60",
    ]  # fmt: skip
    server = Proc(command, env, log).start()
    base = f"http://127.0.0.1:{port}"
    if wait:
        server_ready(server, base)
    return server, base


def server_ready(server: Proc, base: str) -> None:
    def up() -> bool:
        if not server.alive:
            return True
        try:
            urllib.request.urlopen(f"{base}/health/", timeout=5)
            return True
        except urllib.error.HTTPError:
            return True  # it answers; the health says what is down
        except OSError:
            return False

    wait_until(up, timeout=90, what="gunicorn", log=server.log)
    assert server.alive, server.log.read_text()[-4000:]


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float
    headers: dict

    def json(self):
        return json.loads(self.body)


def http(method: str, url: str, *, token: str | None = None, data=None, headers=None) -> Answer:
    """One HTTP request with the standard library; any status is an answer, not an error."""
    all_headers = {"Accept": "application/json", **(headers or {})}
    body = None
    if data is not None:
        body = json.dumps(data).encode()
        all_headers["Content-Type"] = "application/json"
    if token:
        all_headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(url, data=body, method=method, headers=all_headers)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(
                response.status, response.read(), time.monotonic() - started, dict(response.headers)
            )
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(), time.monotonic() - started, dict(error.headers))


def breaching_contract():
    """A contract of 10,000.00 a month, 10 % at risk, and one monthly SLA (99.5 %, 60 %).

    Roles are created again: a transactional test has flushed the migration's groups.
    """
    from django.contrib.auth.models import Group

    from core import roles
    from tests.factories import ContractFactory, SLAFactory

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    contract = ContractFactory(monthly_charge=D("10000.00"), at_risk_percent=D("10.00"))
    return SLAFactory(contract=contract, allocation_percent=D("60"))
