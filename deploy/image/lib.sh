# Shared by build-and-run.sh (backend) and frontend-build-and-run.sh (console): tools, the Debian stand-ins for the
# public base images, and the image's filesystem mounted read-only with only its declared volumes writable.
# Sourced, not run. The caller sets LOG_PREFIX and CACHE.

log() { echo "[$LOG_PREFIX] $*"; }
fail() { echo "[$LOG_PREFIX] FAILED: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1; }

MIRROR=${DEBIAN_MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

# Installs podman and debootstrap if missing; returns 1 (after a notice) where they cannot be installed.
ensure_tools() {
  if ! need podman || ! need debootstrap || ! need python3 || ! need curl; then
    log "installing podman, debootstrap, python3 and curl"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        podman crun uidmap fuse-overlayfs debootstrap python3 curl) >/dev/null 2>&1 || true
  fi
  if ! need podman || ! need debootstrap; then
    log "NOTICE: podman or debootstrap cannot be installed on this machine; image build-and-run skipped"
    return 1
  fi
  [ "$(id -u)" = 0 ] || fail "must run as root (mount and chroot)"
}

# stand_in_base IMAGE ROOTFS_NAME PACKAGES [ADD_FUNCTION]: a Debian bookworm minbase with PACKAGES, imported as IMAGE
# once (the root filesystem is cached in $CACHE). ADD_FUNCTION, if given, is called with the root filesystem's path
# before the import, to add what Debian does not package.
stand_in_base() {
  local image=$1 rootfs="$CACHE/$2" packages=$3 add=${4:-}
  podman image exists "$image" && return 0
  if [ ! -f "$rootfs/.complete" ]; then
    rm -rf "$rootfs"
    mkdir -p "$CACHE"
    log "debootstrap: Debian bookworm + $packages from $MIRROR (about 2 minutes)"
    debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$MIRROR" >"$CACHE/debootstrap-$2.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap-$2.log"; fail "debootstrap"; }
    [ -z "$add" ] || "$add" "$rootfs"
    touch "$rootfs/.complete"
  fi
  log "importing the stand-in as $image"
  tar -C "$rootfs" --exclude=./.complete -c . | podman import - "$image" >/dev/null
}

# image_field IMAGE_JSON PYTHON: evaluates PYTHON with i (the image) and c (its Config) bound.
image_field() { python3 -c "import json,sys; i=json.loads(sys.argv[1])[0]; c=i['Config']; $2" "$1"; }

# mount_view IMAGE WRITABLE_DIR...: the image's filesystem at $view, read-only, with tmpfs on each WRITABLE_DIR
# (owned by 1001), /proc and /dev. Sets view, ctr; view_cleanup undoes it and kills whatever still runs inside.
mount_view() {
  local image=$1 dir
  shift
  ctr=$(podman create "$image")
  local root
  root=$(podman mount "$ctr")
  view=$(mktemp -d)
  VIEW_DIRS=("$@")
  mount --bind "$root" "$view"
  mount -o remount,bind,ro "$view"
  for dir in "$@"; do
    if [ "$dir" = /tmp ]; then
      mount -t tmpfs -o size=256m,mode=1777 tmpfs "$view/tmp"
    else
      mount -t tmpfs -o size=64m,uid=1001,gid=1001,mode=0755 tmpfs "$view$dir"
    fi
  done
  mount -t proc proc "$view/proc"
  mount --bind /dev "$view/dev"
}

view_cleanup() {
  [ -n "${view:-}" ] || return 0
  local proc dir
  for proc in /proc/[0-9]*; do
    [ "$(readlink "$proc/root" 2>/dev/null)" = "$view" ] && kill -9 "${proc#/proc/}" 2>/dev/null || true
  done
  umount "$view/dev" 2>/dev/null || true
  umount "$view/proc" 2>/dev/null || true
  for dir in "${VIEW_DIRS[@]}"; do umount "$view$dir" 2>/dev/null || true; done
  umount "$view" 2>/dev/null || true
  rmdir "$view" 2>/dev/null || true
  podman umount "$ctr" >/dev/null 2>&1 || true
  podman rm "$ctr" >/dev/null 2>&1 || true
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# await_http URL TRIES WHAT: polls URL every half second while $server_pid lives (its output in $logfile), then
# checks that it runs as uid 1001. Fails naming WHAT if it exits, never answers, or runs as another user.
await_http() {
  local url=$1 tries=$2 what=$3
  for _ in $(seq 1 "$tries"); do
    if curl -fs "$url" >/dev/null 2>&1; then
      [ "$(ps -o uid= -p "$server_pid" | tr -d ' ')" = 1001 ] || fail "$what must run as uid 1001"
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || { tail -20 "$logfile"; fail "$what exited during start"; }
    sleep 0.5
  done
  tail -20 "$logfile"
  fail "$url never answered"
}
