#!/usr/bin/env bash
# Expand/contract, proven: the previous release's library (the commit in deploy/compat/previous-release) runs on the
# schema this release migrates to, as its pods do during a rolling deploy once the new release's migration has run.
#
# 1. The previous release's eventstore-core and eventstore-postgres are built from Git into a scratch work tree
#    (package only: nothing of it reaches the local Maven repository).
# 2. A fresh schema is migrated by THIS release (reference-server.jar migrate, as the chart's init container does).
# 3. PreviousReleaseProbe.java runs on the previous release's jars against it: appends of every kind, a conflict,
#    stream and log reads, a snapshot, a projection that checkpoints and dead-letters.
# A check that cannot fail is no check: the same probe must fail against a schema where this release's migration
# renamed a column the previous release reads (a contract step taken too early).
#
# When a release ships, write its commit into deploy/compat/previous-release. Needs PostgreSQL on 127.0.0.1:5432
# (user postgres) and reference-server/target/reference-server.jar (mvn package).
set -euo pipefail
cd "$(dirname "$0")/../.."
log() { echo "[compat] $*"; }
fail() { echo "[compat] FAILED: $*" >&2; exit 1; }

previous=$(tr -d '[:space:]' < deploy/compat/previous-release)
jar=reference-server/target/reference-server.jar
[ -f "$jar" ] || fail "$jar is missing (mvn package first)"
git cat-file -e "$previous^{commit}" 2>/dev/null || fail "the previous release $previous is not in this clone's history"

work=$(mktemp -d)
schemas=()
cleanup() {
  for schema in "${schemas[@]}"; do
    psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  done
  git worktree remove --force "$work/tree" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

log "building the previous release ${previous:0:12} (eventstore-core, eventstore-postgres)"
git worktree add --detach "$work/tree" "$previous" >/dev/null 2>&1 || fail "git worktree add"
# One reactor run: the classpath of eventstore-postgres (written last) resolves eventstore-core within it.
(cd "$work/tree" && mvn -B -ntp -q -DskipTests -Denforcer.skip=true -pl eventstore-postgres -am package \
  dependency:build-classpath -Dmdep.outputFile="$work/deps.txt" -Dmdep.includeScope=runtime) > "$work/build.log" 2>&1 \
  || { tail -20 "$work/build.log"; fail "building ${previous:0:12}"; }
classpath="$(ls "$work"/tree/eventstore-core/target/eventstore-core-*.jar | grep -v -e sources -e javadoc -e tests | head -1)"
classpath="$classpath:$(ls "$work"/tree/eventstore-postgres/target/eventstore-postgres-*.jar | grep -v -e sources -e javadoc -e tests | head -1)"
# The reactor's own core jar first; the rest of the runtime classpath (HikariCP, pgjdbc, Jackson, ...) after it.
classpath="$classpath:$(tr ':' '\n' < "$work/deps.txt" | grep -v -e '/dev/eventfold/' -e "$work/tree" | paste -sd:)"

migrate() {
  local schema=$1
  schemas+=("$schema")
  env -i PATH="$PATH" HOME="$HOME" DB_HOST=127.0.0.1 DB_NAME=postgres DB_USERNAME=postgres EVENTSTORE_SCHEMA="$schema" \
    JWT_SECRET=compat-check-secret-compat-check-secret-0 JWT_REFRESH_SECRET=compat-check-refresh-compat-check-ref-01 \
    java -jar "$jar" migrate > "$work/migrate-$schema.log" 2>&1 || { cat "$work/migrate-$schema.log"; fail "migrate $schema"; }
}
probe() {
  java -cp "$classpath" deploy/compat/PreviousReleaseProbe.java "jdbc:postgresql://127.0.0.1:5432/postgres" "$1"
}

schema="compat_$(date +%s)_$$"
migrate "$schema"
version=$(psql -h 127.0.0.1 -U postgres -d postgres -Atc "SELECT $schema.eventstore_schema_version()")
log "schema $schema migrated by this release (schema version $version)"
probe "$schema" > "$work/probe.log" 2>&1 \
  || { tail -30 "$work/probe.log"; fail "the previous release does not work on this release's schema"; }
grep '^\[compat\]' "$work/probe.log"

contracted="compat_c_$(date +%s)_$$"
migrate "$contracted"
psql -h 127.0.0.1 -U postgres -d postgres -qc "ALTER TABLE $contracted.events RENAME COLUMN event_type TO type" \
  >/dev/null
if probe "$contracted" > "$work/contracted.log" 2>&1; then
  fail "the probe passed on a schema with a column renamed under the previous release: it cannot catch a break"
fi
grep -q 'event_type' "$work/contracted.log" || { cat "$work/contracted.log"; fail "the probe failed for another reason"; }
log "and it fails where a migration renamed a column the previous release reads (the check bites)"
log "OK"
