#!/usr/bin/env bash
# The single-append statements without a JVM (docs/performance.md, "Where the single-append gap is"): each script of
# this directory under pgbench, one stream per client, the benchmark's payload and metadata as parameters, rounds
# interleaved. Creates the database on first use (the library's schema "ef" through Migrate.java, which needs
# benchmarks/target/benchmarks.jar, and setup.sql).
# Usage: benchmarks/pgbench/run.sh <clients> <seconds> <rounds> <script>...
#   e.g. benchmarks/pgbench/run.sh 4 8 3 axon-insert plain-insert append-to-stream
# PGOPTIONS='-c synchronous_commit=off' shows the server's CPU per statement rather than the WAL flush.
set -euo pipefail
cd "$(dirname "$0")"
host=${PGHOST:-127.0.0.1}
db=${PGBENCH_DB:-eventfold_pgbench}
psql=(psql -q -X -v ON_ERROR_STOP=1 -h "$host" -U postgres)
if [ "$("${psql[@]}" -Atc "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 0 ]; then
  "${psql[@]}" -c "CREATE DATABASE $db"
  java -cp ../target/benchmarks.jar Migrate.java "jdbc:postgresql://$host:5432/$db?user=postgres" ef
  "${psql[@]}" -d "$db" -f setup.sql
fi
clients=$1 seconds=$2 rounds=$3
shift 3
payload='{"productId":"p-1","quantity":7,"newTotal":{"amount":"149.10","currency":"EUR"},"at":"2026-11-24T10:00:00.007Z"}'
metadata='{"headers":{"schemaVersion":"1"},"correlationId":null}'
for round in $(seq 1 "$rounds"); do
  for script in "$@"; do
    run=$("${psql[@]}" -d "$db" -Atc "SELECT nextval('pgbench_run')")
    # The streams the appends go to, at head -1, so that the first append writes version 0.
    "${psql[@]}" -d "$db" -c "INSERT INTO ef.streams (stream_id, version) SELECT 'order-$run-' || g, -1 \
      FROM generate_series(0, $((clients - 1))) g"
    result=$(pgbench -h "$host" -U postgres -n -M prepared -c "$clients" -j 2 -T "$seconds" -D seq=-1 \
      -D run="$run" -D p="$payload" -D m="$metadata" -f "${script%.sql}.sql" "$db" 2>&1)
    tps=$(grep -E '^tps' <<< "$result" | awk '{print $3}')
    failed=$(grep -E 'failed transactions|aborted' <<< "$result" | tr '\n' ' ')
    echo "round $round ${script%.sql}: ${tps:-none} tx/s $failed"
  done
done
