"""PostgreSQL restarted under a running gunicorn and worker: 503 while down, no restart after.

The shared PostgreSQL on 5432 belongs to everyone's tests, so this test makes
a throwaway cluster of its own (``initdb`` / ``pg_ctl`` from the server
packages, on a free port, in a temporary folder), migrates it, and crashes it
(``pg_ctl stop -m immediate``: no checkpoint, recovery at the next start).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.faults.conftest import (
    ROOT,
    RedisServer,
    child_env,
    free_port,
    http,
    needs_redis_server,
    server_ready,
    start_server,
    start_worker,
    wait_until,
    worker_ready,
)

PG_BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), None)

pytestmark = [
    pytest.mark.worker,
    needs_redis_server,
    pytest.mark.skipif(PG_BIN is None, reason="the PostgreSQL server binaries are not installed"),
]

PASSWORD = "pw-restart-1234"


class Cluster:
    """A throwaway PostgreSQL cluster; run as the ``postgres`` user when we are root."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="covenant-pg-", dir="/tmp"))
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, user="postgres")

    def _run(self, *args: str) -> None:
        command = [f"{PG_BIN}/{args[0]}", *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/covenant"

    def create(self) -> None:
        self._run("initdb", "-D", f"{self.dir}/data", "-U", "postgres", "-A", "trust", "-N")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "covenant")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-o", options, "-l", f"{self.dir}/log", "-w",
                  "start")  # fmt: skip

    def crash(self) -> None:
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(AssertionError):  # not running
            self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


PREPARE = f"""
import django
django.setup()
from django.core.management import call_command
from core.services import api_token_create, user_provision
call_command("migrate", interactive=False, verbosity=0)
user = user_provision(username="ops", role="governance_office", password="{PASSWORD}")
print(api_token_create(user=user))
"""


def prepare(env: dict) -> str:
    """Migrate the new cluster and make a user with a token, in one process; returns the token."""
    done = subprocess.run(
        [sys.executable, "-c", PREPARE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def browser_login(base: str) -> urllib.request.OpenerDirector:
    """Sign in through the login form, as a browser does; returns an opener holding the session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": "ops", "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    opener.open(request, timeout=30)
    assert any(cookie.name == "sessionid" for cookie in jar), "the login did not take"
    return opener


def page(opener, url: str) -> tuple[int, str]:
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_requests_answer_503_while_the_database_is_down_and_recover_without_a_restart(tmp_path):
    cluster = Cluster()
    redis = RedisServer(tmp_path)
    server = worker = None
    try:
        cluster.create()
        redis.start()
        env = child_env(redis_url=redis.url, db_url=cluster.url, test_db="")
        env.pop("COVENANT_TEST_DB")
        # gunicorn and the worker start while the database is being migrated:
        # each spends most of its start-up importing Django, and needs no table.
        server, base = start_server(env, tmp_path / "web.log", wait=False)
        worker = start_worker(env, tmp_path / "worker.log", wait=False)
        token = prepare(env)
        server_ready(server, base)
        worker_ready(worker)

        def post(path, data):
            answer = http("POST", f"{base}{path}", token=token, data=data)
            assert answer.status == 201, answer.body
            return answer.json()

        vendor = post("/api/v1/vendors/", {"name": "Restart Ltd", "service_type": "ito", "tier": 2})
        contract = post("/api/v1/contracts/", {
            "vendor": vendor["id"], "reference": "R-1", "title": "MSA", "contract_type": "msa",
            "start_date": "2026-01-01", "end_date": "2027-12-31", "monthly_charge": "10000.00",
            "at_risk_percent": "10.00", "status": "active",
        })  # fmt: skip
        sla = post("/api/v1/slas/", {
            "contract": contract["id"], "name": "Availability", "kind": "sla",
            "category": "availability", "unit": "%", "direction": "higher_is_better",
            "target": "99.5", "period": "monthly", "aggregation": "mean",
            "allocation_percent": "60", "effective_from": "2026-01-01",
        })  # fmt: skip
        post("/api/v1/measurements/", [{"sla": sla["id"], "date": "2026-01-05", "value": "98"}])
        opener = browser_login(base)
        assert page(opener, f"{base}/tasks/")[0] == 200

        cluster.crash()

        down = http("GET", f"{base}/api/v1/slas/", token=token)
        assert down.status == 503 and down.seconds < 5
        assert down.json() == {
            "detail": "The database is unavailable; nothing was changed. Try again shortly."
        }
        assert down.headers["Retry-After"] == "5"
        refused = http("POST", f"{base}/api/v1/measurements/", token=token,
                       data=[{"sla": sla["id"], "date": "2026-01-06", "value": "99"}])  # fmt: skip
        assert refused.status == 503, refused.body
        status, html = page(opener, f"{base}/tasks/")
        assert status == 503 and "Covenant is temporarily unavailable" in html
        health = http("GET", f"{base}/health/")
        assert health.status == 503 and health.json()["database"]["ok"] is False
        assert health.json()["status"] == "unavailable"

        cluster.start()

        # The first request after the restart already works: no restart of gunicorn.
        assert http("GET", f"{base}/api/v1/slas/", token=token).status == 200
        assert page(opener, f"{base}/tasks/")[0] == 200  # the session survived too
        second_day = [{"sla": sla["id"], "date": "2026-01-06", "value": "99"}]
        after = post("/api/v1/measurements/", second_day)

        def evaluated() -> bool:
            answer = http("GET", f"{base}/api/v1/task-runs/{after['evaluation_task_run']}/",
                          token=token)  # fmt: skip
            return answer.json()["status"] in ("done", "failed") and answer.json()

        run = wait_until(evaluated, timeout=60, what="the evaluation after the restart",
                         log=worker.log)  # fmt: skip
        assert run["status"] == "done", run
        # No acknowledged write was lost: both days are there (the refused one was sent again).
        stored = http("GET", f"{base}/api/v1/measurements/?sla={sla['id']}&ordering=date",
                      token=token).json()  # fmt: skip
        assert [(m["date"], Decimal(m["value"])) for m in stored["results"]] == [
            ("2026-01-05", Decimal("98")),
            ("2026-01-06", Decimal("99")),
        ]
        # 98 and 99 -> 98.5 < 99.5: breached, 10,000 x 10 % x 60 % = 600.00, by the worker.
        breaches = http("GET", f"{base}/api/v1/breaches/?sla={sla['id']}", token=token).json()
        assert [(b["period_start"], b["credit"]) for b in breaches["results"]] == [
            ("2026-01-01", "600.00")
        ]
    finally:
        for process in (server, worker):
            if process is not None:
                process.stop()
        redis.stop()
        cluster.destroy()
