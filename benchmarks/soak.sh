#!/usr/bin/env bash
# Soak run (not part of CI; issue 21): the reference server on the machine's PostgreSQL under an open-loop HTTP load of
# SOAK_RATE requests/s (200) for SOAK_MINUTES minutes (30), with its read-model projections and a live subscriber on
# the event log. Every minute it records the latency of that minute's requests (HttpLoad), the JVM heap after the
# minute, live threads, the pool's connections and PostgreSQL's sessions; benchmarks/soak_report.py turns them into a
# table (benchmarks/results/soak-report.md) and says whether each stayed flat. Needs: mvn -B -ntp -DskipTests package (server and benchmarks jars),
# PostgreSQL on 127.0.0.1:5432 as postgres, curl and psql.
#   benchmarks/soak.sh                       # 30 minutes
#   SOAK_MINUTES=3 benchmarks/soak.sh        # a short check of the script itself
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=${SOAK_MINUTES:-30}
RATE=${SOAK_RATE:-200}
JAR=reference-server/target/reference-server.jar
BENCH=benchmarks/target/benchmarks.jar
OUT=${SOAK_OUT:-benchmarks/target/soak}
for f in "$JAR" "$BENCH"; do
  [ -f "$f" ] || { echo "soak: $f is missing; run: mvn -B -ntp -DskipTests package" >&2; exit 1; }
done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

export DB_HOST=127.0.0.1 DB_PORT=5432 DB_NAME=postgres DB_USERNAME=postgres
export EVENTSTORE_SCHEMA="soak_$(date +%s)" PORT="$(free_port)" METRICS_PORT="$(free_port)" HOST=127.0.0.1
export RATE_LIMIT_MAX=1000000 LOG_LEVEL=warn NODE_ENV=soak
export JWT_SECRET="soak-secret-soak-secret-soak-secret-0123" JWT_REFRESH_SECRET="soak-refresh-soak-refresh-soak-ref-01"
rm -rf "$OUT" && mkdir -p "$OUT"

SERVER=""; SUBSCRIBER=""
cleanup() {
  [ -n "$SUBSCRIBER" ] && kill "$SUBSCRIBER" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  PGOPTIONS='-c client_min_messages=warning' psql -h 127.0.0.1 -U postgres -d postgres -qc \
    "DROP SCHEMA IF EXISTS $EVENTSTORE_SCHEMA CASCADE" >/dev/null || true
}
trap cleanup EXIT

java -jar "$JAR" migrate > "$OUT/migrate.log" 2>&1
java -Xmx512m -jar "$JAR" serve > "$OUT/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null || { echo "soak: the server did not become ready" >&2; exit 1; }
TOKEN=$(java -jar "$JAR" token --subject load-1 --role customer | tail -n 1)

# The live subscriber prints one line per order event it is handed; it stops when its input closes.
(sleep 100000 | java -cp "$BENCH" dev.eventfold.benchmarks.LiveSubscriber eventstore "$EVENTSTORE_SCHEMA" \
  > "$OUT/subscriber.out" 2> "$OUT/subscriber.log") &
SUBSCRIBER=$!

echo "soak: $MINUTES minutes at $RATE requests/s against :$PORT (schema $EVENTSTORE_SCHEMA)"
for minute in $(seq 1 "$MINUTES"); do
  java -cp "$BENCH" dev.eventfold.benchmarks.HttpLoad --url "http://127.0.0.1:$PORT" --token "$TOKEN" \
    --rate "$RATE" --duration 60 --warmup 0 --out "$OUT/minute-$minute.json" > /dev/null
  curl -sf "http://127.0.0.1:$METRICS_PORT/metrics" > "$OUT/metrics-$minute.txt" || true
  psql -h 127.0.0.1 -U postgres -d postgres -Atc "SELECT count(*) FROM pg_stat_activity WHERE datname = 'postgres' \
    AND backend_type = 'client backend'" > "$OUT/pg-sessions-$minute.txt"
  psql -h 127.0.0.1 -U postgres -d postgres -Atc "SELECT count(*) FROM $EVENTSTORE_SCHEMA.events \
    WHERE stream_id LIKE 'order-%'" > "$OUT/events-$minute.txt"
  echo "soak: minute $minute done"
done
sleep 5
python3 benchmarks/soak_report.py "$OUT" "$RATE" | tee "${SOAK_REPORT:-benchmarks/results/soak-report.md}"
