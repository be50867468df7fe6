#!/usr/bin/env bash
# The seed's phases 7 and 8 as a smoke test, with a real token (the seed's calls sent none):
#   deploy/smoke-test.sh <base URL> <admin token>
# Readiness, the health report, an order created, read back and cancelled (so smoke orders end cancelled; their
# events stay, as every event does), and a request without a token refused. Exits non-zero at the first failure.
set -euo pipefail
base=${1:?usage: smoke-test.sh <base URL> <admin token>}
token=${2:?usage: smoke-test.sh <base URL> <admin token>}
fail() { echo "[smoke] FAILED: $*" >&2; exit 1; }
body=$(mktemp)
trap 'rm -f "$body"' EXIT
call() { curl -s -o "$body" -w '%{http_code}' "$@"; }

[ "$(call "$base/health/ready")" = 200 ] || fail "/health/ready: $(cat "$body")"
[ "$(call "$base/health")" = 200 ] || fail "/health: $(cat "$body")"
grep -Eq '"status":"(healthy|degraded)"' "$body" || fail "/health status: $(cat "$body")"

status=$(call -X POST "$base/api/orders" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"customerId":"smoke-test","items":[{"productId":"smoke-1","productName":"Smoke test","quantity":1,"price":1.00}]}')
[ "$status" = 201 ] || fail "create: $status $(cat "$body")"
id=$(sed -E 's/.*"id":"([^"]+)".*/\1/' "$body")
[ "$(call "$base/api/orders/$id" -H "Authorization: Bearer $token")" = 200 ] || fail "read $id: $(cat "$body")"
status=$(call -X POST "$base/api/orders/$id/cancel" -H "Authorization: Bearer $token" -H 'If-Match: "0"' \
  -H 'Content-Type: application/json' -d '{"reason":"smoke test"}')
[ "$status" = 200 ] || fail "cancel $id: $status $(cat "$body")"
grep -q '"status":"CANCELLED"' "$body" || fail "cancel $id: $(cat "$body")"
[ "$(call "$base/api/orders")" = 401 ] || fail "a request without a token was not refused"
echo "[smoke] OK: ready, healthy, order $id created, read and cancelled, no token refused"
