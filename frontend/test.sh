#!/usr/bin/env bash
# The console's tests, called by Maven: `test.sh unit` (Vitest, in the test phase) and `test.sh e2e <server jar>`
# (Playwright in Debian's Chromium against the packaged server, in the integration-test phase).
# SKIP_TESTS=true (Maven's -DskipTests) skips both.
set -euo pipefail
cd "$(dirname "$0")"
if [ "${SKIP_TESTS:-false}" = "true" ]; then
  echo "console tests skipped (skipTests)"
  exit 0
fi
case "${1:?usage: test.sh unit | e2e <server jar>}" in
  unit)
    npm run --silent test
    # The API types bite: with a route renamed in a copy of the server's OpenAPI document, the console must not
    # type-check (so a changed route breaks the build instead of the browser).
    copy=$(mktemp -d)
    trap 'rm -rf "$copy"' EXIT
    cp -r src tsconfig.json vite.config.ts playwright.config.ts e2e "$copy"/
    ln -s "$PWD/node_modules" "$copy/node_modules"
    sed 's#"/api/admin/projections/{name}/dead-letters"#"/api/admin/projections/{name}/failures"#' \
      ../reference-server/src/main/resources/openapi/openapi.json > "$copy/openapi.json"
    grep -q '/failures"' "$copy/openapi.json" || { echo "test.sh: the renamed route was not found" >&2; exit 1; }
    npx openapi-typescript "$copy/openapi.json" -o "$copy/src/api/schema.gen.ts" > /dev/null
    if (cd "$copy" && npx tsc --noEmit -p tsconfig.json > "$copy/tsc.log" 2>&1); then
      echo "test.sh: the console type-checked against an OpenAPI document with a renamed route" >&2
      exit 1
    fi
    grep -q "dead-letters" "$copy/tsc.log" || { cat "$copy/tsc.log" >&2; exit 1; }
    echo "API types: a renamed route breaks the console's type check, as it should"
    ;;
  e2e)
    export CONSOLE_SERVER_JAR="${2:?the server jar}"
    browser="${CHROMIUM_PATH:-$(command -v chromium || command -v chromium-browser || true)}"
    if [ -z "$browser" ]; then
      echo "test.sh: the end-to-end tests need Chromium (Debian: apt-get install chromium); set CHROMIUM_PATH" >&2
      exit 1
    fi
    export CHROMIUM_PATH="$browser"
    npx playwright test
    ;;
  *)
    echo "test.sh: unknown suite '$1'" >&2
    exit 2
    ;;
esac
