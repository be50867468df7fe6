#!/usr/bin/env bash
# Checks the Terraform code offline: `terraform fmt -check` where terraform exists (a notice where it does not;
# `terraform validate` needs the AWS provider, which cannot be downloaded here), then the HCL parsed and the properties
# that matter asserted (deploy/ci/check-terraform.mjs: Multi-AZ, encryption, backups, no public database, TLS and an
# auth token on Redis, ...), and a broken copy (a single-AZ, public database) must fail that check.
set -euo pipefail
cd "$(dirname "$0")"
log() { echo "[terraform] $*"; }
if command -v terraform >/dev/null 2>&1; then
  CHECKPOINT_DISABLE=1 terraform fmt -recursive -check -diff 2>&1 | grep -v 'CLI configuration\|TF_CLI_CONFIG_FILE\|^[│╷╵]' || true
  CHECKPOINT_DISABLE=1 terraform fmt -recursive -check >/dev/null 2>&1 || { echo "[terraform] FAILED: terraform fmt" >&2; exit 1; }
  log "terraform fmt -check passes"
else
  log "NOTICE: no terraform binary on this machine; fmt check skipped"
fi
if ! command -v npm >/dev/null 2>&1 || ! (cd ../ci && npm ci --no-audit --no-fund --silent >/dev/null 2>&1); then
  log "NOTICE: npm or @cdktf/hcl2json is not available here; property check skipped"
  exit 0
fi
node ../ci/check-terraform.mjs .
broken=$(mktemp -d)
trap 'rm -rf "$broken"' EXIT
cp -r modules environments "$broken/"
sed -i 's/  multi_az                  = true/  multi_az                  = false/; s/  publicly_accessible       = false/  publicly_accessible       = true/' \
  "$broken/modules/platform/database.tf"
cmp -s modules/platform/database.tf "$broken/modules/platform/database.tf" && { echo "[terraform] FAILED: the broken copy is not broken" >&2; exit 1; }
if node ../ci/check-terraform.mjs "$broken" >/dev/null 2>&1; then
  echo "[terraform] FAILED: a single-AZ, public database passed the check" >&2
  exit 1
fi
log "a broken copy (single-AZ, public database) is refused"
wide=$(mktemp -d)
trap 'rm -rf "$broken" "$wide"' EXIT
cp -r modules environments "$wide/"
sed -i 's/            type       = "namespace"/            type       = "cluster"/' "$wide/modules/platform/cluster.tf"
cmp -s modules/platform/cluster.tf "$wide/modules/platform/cluster.tf" && { echo "[terraform] FAILED: the cluster-wide copy is not changed" >&2; exit 1; }
if node ../ci/check-terraform.mjs "$wide" >/dev/null 2>&1; then
  echo "[terraform] FAILED: a deploy role with cluster-wide access passed the check" >&2
  exit 1
fi
log "a broken copy (the deploy role cluster-wide) is refused"
