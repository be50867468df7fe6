#!/usr/bin/env bash
# Builds the console into the directory given (the reference server's classes/console, from Maven's
# generate-resources phase). Installs the locked dependencies first when package-lock.json changed since the last
# install. Needs Node 20.19+ and npm; build the server without the console with -Dconsole.skip=true.
set -euo pipefail
cd "$(dirname "$0")"
out="${1:?usage: build.sh <output directory>}"
if ! command -v npm > /dev/null; then
  echo "build.sh: the console needs Node 20.19+ and npm; build without it with -Dconsole.skip=true" >&2
  exit 1
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "build.sh: the console needs Node 20.19 or later (this is $(node --version)); or build with -Dconsole.skip=true" >&2
  exit 1
fi
stamp=node_modules/.eventfold-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
CONSOLE_OUT_DIR="$out" npm run --silent build
