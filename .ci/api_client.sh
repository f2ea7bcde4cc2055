#!/usr/bin/env bash
# The API as an integrator meets it (issue #9): the schema validates with no
# warning; Python clients generated from it, unedited, run the integration flow
# against a live server: vendor → contract → SLA → measurements → breaches →
# credit statement. Two generators: openapi-python-client
# (.ci/api_client_flow.py, the full flow with Location and Idempotency-Key) and
# openapi-generator's python client (.ci/api_client_oag_flow.py; the PyPI
# package openapi-generator-cli carries the generator's jar and runs it on the
# machine's Java, so nothing is downloaded from outside the package registry).
#
# Runs on its own database (covenant_api_client, created and dropped here) and
# without REDIS_URL, so the server evaluates eagerly. The generator lives in a
# throwaway venv under /tmp, never in the project's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
WORK=$(mktemp -d /tmp/covenant-api-client.XXXXXX)
GEN_VENV=${API_CLIENT_VENV:-/tmp/covenant-openapi-python-client}
OAG_VENV=${API_CLIENT_OAG_VENV:-/tmp/covenant-openapi-generator}
PG=${API_CLIENT_PG:-postgres://postgres@127.0.0.1:5432}
DB=covenant_api_client
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL="$PG/$DB" SECRET_KEY=api-client-ci DJANGO_DEBUG=0
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
unset REDIS_URL COVENANT_TESTING
export LOG_LEVEL=WARNING  # the flow's output, not the server's info lines

echo "-- schema: spectacular --validate --fail-on-warn"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
psql "$PG/postgres" -qc "CREATE DATABASE $DB" >/dev/null
"$PY" manage.py spectacular --validate --fail-on-warn --file "$WORK/schema.yaml"

echo "-- openapi-python-client (throwaway venv $GEN_VENV)"
if [ ! -x "$GEN_VENV/bin/openapi-python-client" ]; then
  python3 -m venv "$GEN_VENV"
  "$GEN_VENV/bin/pip" install -q openapi-python-client
fi
# Binary downloads (PDF, evidence files) are files to the generator: it reads
# only application/octet-stream as one, so say that application/pdf is one too.
cat >"$WORK/generator.yaml" <<'YAML'
content_type_overrides:
  application/pdf: application/octet-stream
YAML
"$GEN_VENV/bin/openapi-python-client" generate --path "$WORK/schema.yaml" --meta none \
  --config "$WORK/generator.yaml" \
  --output-path "$WORK/covenant_client" --overwrite >"$WORK/generate.log" 2>&1 \
  || { cat "$WORK/generate.log"; exit 1; }
# Warnings other than the missing formatter mean parts of the client were skipped.
if grep -v -e "ruff is not in PATH" -e "^Skipping Integration" -e "^Generating " \
     -e "Warning(s) encountered while generating" -e "If you believe this was a mistake" \
     -e "^\s*$" "$WORK/generate.log" | grep -q .; then
  echo "openapi-python-client reported problems:"; cat "$WORK/generate.log"; exit 1
fi

echo "-- openapi-generator, python (throwaway venv $OAG_VENV; needs Java)"
command -v java >/dev/null || { echo "java not found: openapi-generator cannot run"; exit 1; }
if [ ! -x "$OAG_VENV/bin/openapi-generator-cli" ]; then
  python3 -m venv "$OAG_VENV"
  "$OAG_VENV/bin/pip" install -q openapi-generator-cli
fi
"$OAG_VENV/bin/openapi-generator-cli" generate -i "$WORK/schema.yaml" -g python \
  -o "$WORK/oag" --package-name covenant_oag >"$WORK/oag.log" 2>&1 \
  || { cat "$WORK/oag.log"; exit 1; }
"$OAG_VENV/bin/pip" install -q -r "$WORK/oag/requirements.txt"

echo "-- live server on its own database"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py create_user api-client --role governance_office >/dev/null
TOKEN=$("$PY" manage.py create_api_token api-client)
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$ROOT/.venv/bin/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --log-level warning >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 60); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break  # up: any answer
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.5
done

echo "-- the integration flow through the generated client"
PYTHONPATH="$WORK" "$GEN_VENV/bin/python" .ci/api_client_flow.py \
  --base-url "http://127.0.0.1:$PORT" --token "$TOKEN" \
  || { echo "server log:"; cat "$WORK/server.log"; exit 1; }
PYTHONPATH="$WORK/oag" "$OAG_VENV/bin/python" .ci/api_client_oag_flow.py \
  --base-url "http://127.0.0.1:$PORT" --token "$TOKEN" \
  || { echo "server log:"; cat "$WORK/server.log"; exit 1; }
echo "api clients: ok"
