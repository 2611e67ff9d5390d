#!/usr/bin/env bash
# Fuzzes the sandbox through connect-server's proxy with schemathesis, against
# content/openapi.yaml: any 5xx, undeclared status or body off the schema fails the run.
# Usage: Tests/Contract/run-schemathesis.sh [path/to/connect-server]   (run from the repo root)
set -euo pipefail
server=${1:-.build/debug/connect-server}
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Through the interpreter that `make pydeps` installed it into, whatever PATH holds.
schemathesis() { python3 -c 'import sys; from schemathesis.cli import schemathesis; sys.argv[0] = "schemathesis"; schemathesis()' "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port)
sandbox_port=$(free_port)

swift run --skip-build build-site --output "$work/public" > /dev/null
("$server" --port "$port" --sandbox-port "$sandbox_port" --public "$work/public" --sandbox-dir "$work/sandbox" \
   --rate-limit 0 --log-level warning > "$work/server.log" 2>&1) &
pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz/live" > /dev/null && break
  sleep 0.1
done

app="http://127.0.0.1:$sandbox_port/apps/4f6e1c2a-7b3d-4e5f-8a9b-0c1d2e3f4a5b.apps.us-east-1.getdynamiq.ai"
key=$(grep -m1 -o 'dynamiq_acc_[A-Za-z0-9]\{64\}' content/sandbox.yaml)
token=$(curl -sf -X POST "$app/v1/connect/tokens" -H "Authorization: Bearer $key" \
  -H 'Content-Type: application/json' -d '{"user_id": "schemathesis"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')

# The management endpoints, through the proxy, as the hosted page calls them.
schemathesis run content/openapi.yaml --url "http://127.0.0.1:$port" \
  --include-path-regex '^/v1/connect/requirements' \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing --max-examples 25 --seed 7421 --workers 1 \
  --suppress-health-check all --warnings off
# The App host endpoints, on the sandbox's App base URL.
schemathesis run content/openapi.yaml --url "$app" \
  --include-path-regex '^/v1/(connect/tokens|requirements/status)$' \
  -H "Authorization: Bearer $key" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing --max-examples 25 --seed 7421 --workers 1 \
  --suppress-health-check all --warnings off
