#!/usr/bin/env bash
# Builds the backend image (reference-server/Dockerfile) without a Docker engine and runs the server from it.
#
# The public base images cannot be pulled on every machine, so a stand-in is made from Debian packages (debootstrap:
# openjdk-17-jdk-headless and maven) and passed as both BUILD_IMAGE and BASE_IMAGE. `podman run` cannot set rlimits
# or cgroups on this machine kind, so the image's filesystem is mounted, viewed read-only with only the image's
# declared volumes writable, and the image's own entry point, environment and healthcheck run in it under
# `chroot --userspec=1001:1001`, against the PostgreSQL and Redis on loopback: `migrate`, `serve`, /health/ready, the
# HEALTHCHECK command, an order created over HTTP, then SIGTERM and a clean stop.
#
# Needs root (mount, chroot), PostgreSQL on 127.0.0.1:5432 (user postgres, as .ci/run sets up) and Redis on 6379.
# Prints a notice and exits 0 only where podman or debootstrap cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

LOG_PREFIX=image
CACHE=${EVENTFOLD_IMAGE_CACHE:-/var/tmp/eventfold-images}
# shellcheck source=deploy/image/lib.sh
. deploy/image/lib.sh
BASE=localhost/eventfold-jdk17-base:local
IMAGE=localhost/order-management-backend:image-test
DOCKERFILE=${DOCKERFILE:-reference-server/Dockerfile}   # a broken copy can be checked the same way

ensure_tools || exit 0

# ---- 1. the stand-in base image
stand_in_base "$BASE" rootfs-jdk17 openjdk-17-jdk-headless,maven,ca-certificates

# ---- 2. the image, with the stand-in for both base images
maven_args=""
volume=()
if [ -d "$HOME/.m2/repository" ]; then
  # The build before this one filled the local repository: lend it to the build stage, read offline.
  maven_args="-o -Dmaven.repo.local=/m2-repository"
  volume=(--volume "$HOME/.m2/repository:/m2-repository")
fi
log "podman build -f $DOCKERFILE (BUILD_IMAGE and BASE_IMAGE = $BASE)"
podman build --isolation chroot --format docker --pull=never -q -f "$DOCKERFILE" \
  --build-arg BUILD_IMAGE="$BASE" --build-arg BASE_IMAGE="$BASE" --build-arg APP_VERSION=image-test \
  --build-arg MAVEN_ARGS="$maven_args" "${volume[@]}" -t "$IMAGE" . >/dev/null

# ---- 3. what the image declares
inspect=$(podman image inspect "$IMAGE")
field() { image_field "$inspect" "$1"; }
[ "$(field "print(c.get('User'))")" = "1001:1001" ] || fail "the image must run as 1001:1001"
[ "$(field "print(c.get('WorkingDir'))")" = "/app" ] || fail "the working directory must be /app"
field "v=c.get('Volumes') or {}; assert '/tmp' in v and '/app/logs' in v, v" || fail "volumes /tmp and /app/logs"
mapfile -t entrypoint < <(field "print('\n'.join(c['Entrypoint']))")
mapfile -t healthcheck < <(field "t=i['Healthcheck']['Test']; assert t[0]=='CMD', t; print('\n'.join(t[1:]))")
mapfile -t image_env < <(field "print('\n'.join(c.get('Env') or []))")
[ "${entrypoint[0]}" = java ] || fail "exec-form entry point starting the JVM expected, was ${entrypoint[*]}"

# ---- 4. its filesystem, read-only, with only the declared volumes writable
schema="img_$(date +%s)_$$"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true
  view_cleanup
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
mount_view "$IMAGE" /tmp /app/logs

port=$(free_port)
metrics=$(free_port)
run_env=("${image_env[@]}" "HOME=/app" "PORT=$port" "METRICS_PORT=$metrics" "DB_HOST=127.0.0.1" "DB_NAME=postgres"
  "DB_USERNAME=postgres" "EVENTSTORE_SCHEMA=$schema" "REDIS_HOST=127.0.0.1"
  "JWT_SECRET=image-test-secret-image-test-secret-0123" "JWT_REFRESH_SECRET=image-test-refresh-image-test-refresh-01")
in_image() { env -i "${run_env[@]}" chroot --userspec=1001:1001 "$view" /bin/sh -c 'cd /app && exec "$@"' sh "$@"; }

if in_image /bin/sh -c 'touch /app/written 2>/dev/null'; then fail "the root filesystem must be read-only"; fi
in_image /bin/sh -c 'touch /app/logs/ok && touch /tmp/ok' || fail "the declared volumes must be writable by 1001"
log "root filesystem read-only, /tmp and /app/logs writable for uid 1001"

# ---- 5. migrate, as the chart's init container does
migrated=$(in_image "${entrypoint[@]}" migrate) || fail "migrate exited with an error"
grep -q "migrated schema '$schema'" <<<"$migrated" || fail "migrate: $migrated"
log "migrate: schema $schema migrated"

# ---- 6. serve, probes, healthcheck, an order, SIGTERM
mkdir -p "$CACHE"
logfile=$(mktemp "$CACHE/server-XXXXXX.log")
# Not through in_image: a function would run in a subshell, and $! must be the process that becomes the JVM.
env -i "${run_env[@]}" chroot --userspec=1001:1001 "$view" /bin/sh -c 'cd /app && exec "$@"' sh \
  "${entrypoint[@]}" serve >"$logfile" 2>&1 &
server_pid=$!
await_http "http://127.0.0.1:$port/health/ready" 120 "the server"
in_image "${healthcheck[@]}" || fail "the image's HEALTHCHECK command failed"
log "serving on $port as uid 1001; /health/ready 200; HEALTHCHECK exit 0"

token=$(in_image "${entrypoint[@]}" token --subject image-test --role customer | tail -n 1)
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/orders" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"items":[{"productId":"p-1","productName":"Widget","quantity":2,"price":19.90}]}')
[ "$status" = 201 ] || fail "creating an order answered $status"
scrape=$(curl -fs "http://127.0.0.1:$metrics/metrics") || fail "the metrics port does not answer"
# (captured first: `curl | grep -q` fails under pipefail when grep stops reading early)
grep -q 'http_requests_total{method="POST",route="/api/orders",status_code="201"}' <<<"$scrape" \
  || fail "the metrics port does not show the request"
log "an order was created (201) and counted on the metrics port"
admin=$(in_image "${entrypoint[@]}" token --subject image-admin --role admin | tail -n 1)
deploy/smoke-test.sh "http://127.0.0.1:$port" "$admin" || fail "the pipeline's smoke test failed against the image"

kill -TERM "$server_pid"
code=0
wait "$server_pid" || code=$?
server_pid=""
[ "$code" = 0 ] || [ "$code" = 143 ] || { tail -20 "$logfile"; fail "the server exited with $code after SIGTERM"; }
grep -q '"message":"reference-server stopped"' "$logfile" || { tail -20 "$logfile"; fail "no clean stop logged"; }
python3 - "$logfile" <<'PY' || fail "a line of the server's output is not JSON"
import json, sys
for line in open(sys.argv[1]):
    json.loads(line)
PY
log "SIGTERM: drained and stopped cleanly (exit $code); every output line is JSON"
rm -f "$logfile"
log "OK"
