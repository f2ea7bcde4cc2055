#!/usr/bin/env bash
# Production-install smoke run (issue #15): Covenant with its production
# dependencies only -- a fresh venv with `pip install .`, no [dev] extras, as the
# Dockerfile installs them -- then gunicorn, a real Celery worker and beat
# against a Redis of their own, and one measurement through the API whose
# breach must come out of the worker (not eagerly, in the web process).
#
#   .ci/prod_smoke.sh            # needs python3, redis-server, PostgreSQL on 127.0.0.1:5432
#
# It creates and drops its own database (covenant_smoke, or $SMOKE_DB), starts
# its own redis-server on a free port, and stops everything it started on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
PGURL=${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}
DB=${SMOKE_DB:-covenant_smoke}
WORK=$(mktemp -d /tmp/covenant-smoke.XXXXXX)
pids=()

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
psql_admin() { PGOPTIONS="-c client_min_messages=warning" psql "$PGURL/postgres" -v ON_ERROR_STOP=1 -qAtc "$1" >/dev/null; }

cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    for log in "$WORK"/*.log; do [ -f "$log" ] && { echo "--- $log"; tail -n 40 "$log"; }; done
  fi
  psql_admin "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM

echo "== production install: pip install . (no extras) into $WORK/venv"
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --disable-pip-version-check "$ROOT" 2>&1 | grep -v "^WARNING: Location" || true
if "$WORK/venv/bin/python" -c "import pytest" 2>/dev/null; then
  echo "pytest is importable: this is not the production dependency set" >&2
  exit 1
fi
rm -rf "$ROOT/build"

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --daemonize no >"$WORK/redis.log" 2>&1 &
pids+=($!)

psql_admin "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)"
psql_admin "CREATE DATABASE \"$DB\""

WEB_PORT=$(free_port)
export DATABASE_URL="$PGURL/$DB" REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export SECRET_KEY=smoke-only DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_COOKIES=0 DJANGO_SETTINGS_MODULE=config.settings
# The code runs from the checkout, as the image runs it from /app; every
# third-party import comes from the production venv.
export PYTHONPATH=$ROOT
unset COVENANT_TESTING COVENANT_TEST_DB
BIN=$WORK/venv/bin

echo "== migrate"
"$BIN/python" manage.py migrate --noinput -v0

echo "== gunicorn, worker, beat"
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$WEB_PORT" --workers 2 \
  --timeout 60 >"$WORK/web.log" 2>&1 &
pids+=($!)
"$BIN/celery" -A config worker --loglevel INFO --concurrency 2 --without-gossip \
  --without-mingle >"$WORK/worker.log" 2>&1 &
pids+=($!)
"$BIN/celery" -A config beat --loglevel INFO >"$WORK/beat.log" 2>&1 &
pids+=($!)

"$BIN/python" manage.py create_user smoke --role governance_office >/dev/null
TOKEN=$("$BIN/python" manage.py create_api_token smoke | tail -n 1)

echo "== smoke run through the API"
BASE="http://127.0.0.1:$WEB_PORT" TOKEN=$TOKEN WORKER_LOG="$WORK/worker.log" \
  BEAT_LOG="$WORK/beat.log" "$BIN/python" - <<'PY'
"""A measurement in, its breach out, evaluated by the worker. Standard library only."""
import json, os, time, urllib.error, urllib.request

BASE, TOKEN = os.environ["BASE"], os.environ["TOKEN"]


def call(method, path, data=None):
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(BASE + path, data=body, method=method, headers={
        "Authorization": f"Token {TOKEN}", "Content-Type": "application/json",
        "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()[:2000]


deadline = time.monotonic() + 60
while True:
    try:
        status, health = call("GET", "/health/")
        if status == 200 and health["status"] == "ok":
            break
    except OSError:
        pass
    if time.monotonic() > deadline:
        raise SystemExit("gunicorn did not come up healthy")
    time.sleep(0.5)
print("health:", health)


def create(path, data):
    status, body = call("POST", path, data)
    assert status == 201, (path, status, body)
    return body


vendor = create("/api/v1/vendors/", {"name": "Smoke Vendor", "service_type": "ito", "tier": 2})
contract = create("/api/v1/contracts/", {
    "vendor": vendor["id"], "reference": "SMOKE-1", "title": "Smoke MSA",
    "contract_type": "msa", "start_date": "2026-01-01", "end_date": "2027-12-31",
    "currency": "EUR", "monthly_charge": "10000.00", "at_risk_percent": "10.00",
    "status": "active"})
sla = create("/api/v1/slas/", {
    "contract": contract["id"], "name": "Availability", "kind": "sla",
    "category": "availability", "unit": "%", "direction": "higher_is_better",
    "target": "99.5", "period": "monthly", "aggregation": "mean",
    "allocation_percent": "60", "effective_from": "2026-01-01"})
# January: 98 and 99 -> mean 98.5 < 99.5, breached; credit 10,000 x 10 % x 60 % = 600.00.
answer = create("/api/v1/measurements/", [
    {"sla": sla["id"], "date": "2026-01-05", "value": "98"},
    {"sla": sla["id"], "date": "2026-01-06", "value": "99"}])
run_id = answer["evaluation_task_run"]
deadline = time.monotonic() + 90
while True:
    status, run = call("GET", f"/api/v1/task-runs/{run_id}/")
    assert status == 200, (status, run)
    if run["status"] in ("done", "failed"):
        break
    if time.monotonic() > deadline:
        raise SystemExit(f"the evaluation never finished: {run}")
    time.sleep(0.5)
assert run["status"] == "done", run
status, breaches = call("GET", f"/api/v1/breaches/?sla={sla['id']}")
assert status == 200 and breaches["count"] == 1, breaches
breach = breaches["results"][0]
assert (breach["period_start"], breach["credit"]) == ("2026-01-01", "600.00"), breach
worker_log = open(os.environ["WORKER_LOG"]).read()
assert "slas.tasks.evaluate_slas_task[" in worker_log and "succeeded" in worker_log, (
    "the evaluation did not run on the worker")
beat_log = open(os.environ["BEAT_LOG"]).read()
assert "beat: Starting" in beat_log, beat_log[-2000:]
print(f"breach {breach['id']}: actual {breach['actual']}, credit {breach['credit']}, by the worker")
PY

for pid in "${pids[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "a process died during the smoke run" >&2; exit 1; }
done
echo "== production smoke run: OK"
