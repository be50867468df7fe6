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
