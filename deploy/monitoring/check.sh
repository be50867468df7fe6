#!/usr/bin/env bash
# Checks the alert rules with promtool (taken from Debian's prometheus package without installing it): the rules parse
# (`check rules`), every alert's unit test passes (`test rules`), and a broken copy (a threshold changed) fails its
# tests, so the check is known to bite. Prints a notice and exits 0 only where the package cannot be downloaded.
set -euo pipefail
cd "$(dirname "$0")/../.."
log() { echo "[monitoring] $*"; }
tools=${EVENTFOLD_TOOLS:-/var/tmp/eventfold-tools}
promtool="$tools/prometheus/usr/bin/promtool"
if [ ! -x "$promtool" ]; then
  mkdir -p "$tools"
  (cd "$tools" && rm -f prometheus_*.deb && { apt-get download prometheus >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get download prometheus >/dev/null 2>&1; }; } \
    && dpkg-deb -x prometheus_*.deb prometheus && rm -f prometheus_*.deb) || true
fi
if [ ! -x "$promtool" ]; then
  log "NOTICE: promtool cannot be obtained on this machine; alert rule checks skipped"
  exit 0
fi
rules=helm/order-management/files/alerts.yml
"$promtool" check rules "$rules" >/dev/null
"$promtool" test rules deploy/monitoring/alerts.test.yml >/dev/null
broken=$(mktemp -d)
trap 'rm -rf "$broken"' EXIT
mkdir -p "$broken/deploy/monitoring" "$broken/helm/order-management/files"
sed 's/status_code=~"5.."}\[5m\])) \/ sum(rate(http_requests_total\[5m\])) > 0.01/status_code=~"5.."}[5m])) \/ sum(rate(http_requests_total[5m])) > 0.1/' \
  "$rules" > "$broken/$rules"
cmp -s "$rules" "$broken/$rules" && { echo "[monitoring] FAILED: the broken copy is not broken" >&2; exit 1; }
cp deploy/monitoring/alerts.test.yml "$broken/deploy/monitoring/"
if "$promtool" test rules "$broken/deploy/monitoring/alerts.test.yml" >/dev/null 2>&1; then
  echo "[monitoring] FAILED: a copy with the 1 % error-rate threshold raised to 10 % passed its tests" >&2
  exit 1
fi
log "alert rules valid, every alert's unit test passes, a broken copy fails"

# The dashboard: valid JSON, every panel queries something, and every query is valid PromQL (each becomes a recording
# rule that promtool parses, with the dashboard's variables filled in); a copy with a broken query must fail.
dashboard_rules() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["title"] and d["uid"], "title and uid"
ids = [p["id"] for p in d["panels"]]
assert len(ids) == len(set(ids)), "panel ids must be unique"
print("groups:\n  - name: dashboard\n    rules:")
for p in d["panels"]:
    assert p.get("targets"), "panel %r has no query" % p["title"]
    for t in p["targets"]:
        expr = t["expr"].replace("$namespace", "production").replace("$database", "order_management")
        print("      - record: dashboard:panel_%d_%s" % (p["id"], t["refId"]))
        print("        expr: %s" % json.dumps(expr))
PY
}
dashboard=helm/order-management/files/dashboard.json
dashboard_rules "$dashboard" > "$broken/dashboard-rules.yml"
"$promtool" check rules "$broken/dashboard-rules.yml" >/dev/null
sed 's/histogram_quantile(0.95, sum by (le) (rate(order_reconstruction/histogram_quantile(0.95, sum by (le) rate(order_reconstruction/' \
  "$dashboard" > "$broken/dashboard.json"
cmp -s "$dashboard" "$broken/dashboard.json" && { echo "[monitoring] FAILED: the broken dashboard is not broken" >&2; exit 1; }
dashboard_rules "$broken/dashboard.json" > "$broken/broken-dashboard-rules.yml"
if "$promtool" check rules "$broken/broken-dashboard-rules.yml" >/dev/null 2>&1; then
  echo "[monitoring] FAILED: a dashboard with a broken query passed" >&2
  exit 1
fi
log "dashboard queries are valid PromQL; a broken copy fails"
