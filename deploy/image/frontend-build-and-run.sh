#!/usr/bin/env bash
# Builds the console image (frontend/Dockerfile) without a Docker engine and runs it from its own filesystem.
#
# The stand-in for node:20-bookworm-slim is Debian bookworm (debootstrap) plus this machine's Node 20 and its npm
# (Debian's own nodejs is 18, too old for the build). It is passed as both BUILD_IMAGE
# and BASE_IMAGE. The image's filesystem is mounted read-only with only /tmp writable, and its entry point and
# healthcheck run under `chroot --userspec=1001:1001`: /health, the page under /console/ for a client-side route,
# config.json carrying NEXT_PUBLIC_API_URL and NEXT_PUBLIC_WS_URL, a hashed asset cached for good, a bad API URL
# refused at start, then SIGTERM and a clean stop. DOCKERFILE= checks a (broken) copy the same way.
#
# Needs root (mount, chroot) and the npm registry (the build stage runs npm ci). Prints a notice and exits 0 only
# where podman or debootstrap cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

LOG_PREFIX=frontend-image
CACHE=${EVENTFOLD_IMAGE_CACHE:-/var/tmp/eventfold-images}
# shellcheck source=deploy/image/lib.sh
. deploy/image/lib.sh
BASE=localhost/eventfold-node20-base:local
IMAGE=localhost/order-management-frontend:image-test
DOCKERFILE=${DOCKERFILE:-frontend/Dockerfile}

ensure_tools || exit 0
need node || fail "this check copies the machine's Node 20 into the stand-in base; install nodejs 20"

add_node() {
  local rootfs=$1
  # node and the npm it runs with here (npm may have been upgraded past the one the nodejs package carried).
  tar -C / -cf - usr/bin/node usr/bin/npm usr/bin/npx usr/lib/node_modules/npm | tar -C "$rootfs" -xf -
  chroot "$rootfs" node --version >/dev/null || fail "node does not run in the stand-in"
  chroot "$rootfs" npm --version >/dev/null || fail "npm does not run in the stand-in"
}

# ---- 1. the stand-in base image
stand_in_base "$BASE" rootfs-node20 libstdc++6,ca-certificates add_node

# ---- 2. the image
proxy_ca=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  # This machine reaches the npm registry through a TLS-intercepting proxy: lend its CA to the build stage.
  proxy_ca=(--volume "$NODE_EXTRA_CA_CERTS:/etc/proxy-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/etc/proxy-ca.crt)
fi
log "podman build -f $DOCKERFILE (BUILD_IMAGE and BASE_IMAGE = $BASE)"
podman build --isolation chroot --format docker --pull=never -q -f "$DOCKERFILE" \
  --build-arg BUILD_IMAGE="$BASE" --build-arg BASE_IMAGE="$BASE" --build-arg APP_VERSION=image-test \
  "${proxy_ca[@]}" -t "$IMAGE" . >/dev/null

# ---- 3. what the image declares
inspect=$(podman image inspect "$IMAGE")
field() { image_field "$inspect" "$1"; }
[ "$(field "print(c.get('User'))")" = "1001:1001" ] || fail "the image must run as 1001:1001"
[ "$(field "print(c.get('WorkingDir'))")" = "/app" ] || fail "the working directory must be /app"
field "assert '3000/tcp' in (c.get('ExposedPorts') or {}), c.get('ExposedPorts')" || fail "port 3000 must be exposed"
field "e=dict(x.split('=',1) for x in c.get('Env') or []); assert e.get('PORT')=='3000' and e.get('NODE_ENV')=='production', e" \
  || fail "PORT=3000 and NODE_ENV=production expected"
mapfile -t entrypoint < <(field "print('\n'.join(c['Entrypoint']))")
mapfile -t healthcheck < <(field "t=i['Healthcheck']['Test']; assert t[0]=='CMD', t; print('\n'.join(t[1:]))")
mapfile -t image_env < <(field "print('\n'.join(c.get('Env') or []))")
[ "${entrypoint[0]}" = node ] || fail "exec-form entry point starting node expected, was ${entrypoint[*]}"
size=$(field "print(i['Size'])")
log "declares user 1001, /app, port 3000, NODE_ENV=production, HEALTHCHECK; $((size / 1024 / 1024)) MB"

# ---- 4. its filesystem, read-only, with only /tmp writable
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true
  view_cleanup
}
trap cleanup EXIT
mount_view "$IMAGE" /tmp
in_image() { env -i "${run_env[@]}" chroot --userspec=1001:1001 "$view" /bin/sh -c 'cd /app && exec "$@"' sh "$@"; }
run_env=("${image_env[@]}")
if in_image /bin/sh -c 'touch /app/written 2>/dev/null'; then fail "the root filesystem must be read-only"; fi
[ -z "$(find "$view/app" -user 1001 -print -quit)" ] || fail "nothing under /app may belong to the runtime user"
[ ! -e "$view/app/node_modules/vite" ] || fail "build tools (vite) must not be in the runtime image"

# A bad API address is refused at start, naming the variable.
run_env=("${image_env[@]}" "NEXT_PUBLIC_API_URL=ftp://example")
if out=$(in_image "${entrypoint[@]}" 2>&1); then fail "a bad NEXT_PUBLIC_API_URL must stop the start"; fi
grep -q NEXT_PUBLIC_API_URL <<<"$out" || fail "the refusal must name NEXT_PUBLIC_API_URL: $out"

# ---- 5. serve, probes, healthcheck, SIGTERM
port=$(free_port)
run_env=("${image_env[@]}" "PORT=$port" "NEXT_PUBLIC_API_URL=https://api.example.test"
  "NEXT_PUBLIC_WS_URL=wss://api.example.test")
mkdir -p "$CACHE"
logfile=$(mktemp "$CACHE/frontend-XXXXXX.log")
env -i "${run_env[@]}" chroot --userspec=1001:1001 "$view" /bin/sh -c 'cd /app && exec "$@"' sh \
  "${entrypoint[@]}" >"$logfile" 2>&1 &
server_pid=$!
await_http "http://127.0.0.1:$port/health" 60 "the console server"
run_env=("${image_env[@]}" "PORT=$port")
in_image "${healthcheck[@]}" || fail "the image's HEALTHCHECK command failed"

page=$(curl -fs "http://127.0.0.1:$port/console/orders/some-order") || fail "a client-side route must get the page"
grep -q '<div id="root">' <<<"$page" || fail "the page is not the console's index.html"
config=$(curl -fs "http://127.0.0.1:$port/console/config.json") || fail "config.json must answer"
python3 - "$config" <<'PY' || fail "config.json must carry the seed's NEXT_PUBLIC_* addresses and no dev sign-in: $config"
import json, sys
c = json.loads(sys.argv[1])
assert c == {"apiUrl": "https://api.example.test", "wsUrl": "wss://api.example.test", "devSignIn": False,
             "version": "image-test"}, c
PY
asset=$(grep -o '/console/assets/[^"]*\.js' <<<"$page" | head -n 1)
headers=$(curl -fsI "http://127.0.0.1:$port$asset") || fail "the page's script $asset must load"
grep -qi 'cache-control: public, max-age=31536000, immutable' <<<"$headers" || fail "hashed assets must be immutable"
csp=$(curl -fsI "http://127.0.0.1:$port/console/" | grep -i '^content-security-policy') || fail "no CSP on the page"
grep -q 'connect-src .*https://api.example.test' <<<"$csp" || fail "the CSP must allow the API: $csp"
log "serving on $port as uid 1001; /health, HEALTHCHECK, SPA route, config.json, immutable assets, CSP"

kill -TERM "$server_pid"
code=0
wait "$server_pid" || code=$?
server_pid=""
[ "$code" = 0 ] || { tail -20 "$logfile"; fail "the console exited with $code after SIGTERM"; }
python3 - "$logfile" <<'PY' || fail "a line of the console server's output is not JSON"
import json, sys
for line in open(sys.argv[1]):
    json.loads(line)
PY
log "SIGTERM: stopped cleanly; every output line is JSON"
rm -f "$logfile"
log "OK"
