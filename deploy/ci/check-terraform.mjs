// Parses the Terraform code (HCL, through @cdktf/hcl2json: `terraform validate` needs providers, which cannot be
// downloaded here) and asserts the properties that matter. Usage: node check.mjs <terraform directory>
// Exits 1 naming every property that does not hold.
import { parse } from "@cdktf/hcl2json";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const root = process.argv[2];
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".tf")) files.push(path);
  }
})(root);

const resources = {};
const modules = {};
for (const file of files) {
  const json = await parse(file, readFileSync(file, "utf8"));
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, blocks] of Object.entries(byName)) resources[`${type}.${name}`] = { file, ...blocks[0] };
  }
  for (const [name, blocks] of Object.entries(json.module ?? {})) modules[`${file}:${name}`] = blocks[0];
}

const problems = [];
const expect = (ok, what) => { if (!ok) problems.push(what); };
const one = (type) => Object.entries(resources).filter(([k]) => k.startsWith(type + "."));

expect(one("aws_rds_instance").length === 0, "aws_rds_instance is not a Terraform resource: use aws_db_instance");
const dbs = one("aws_db_instance");
expect(dbs.length === 1, "exactly one aws_db_instance (the event store)");
for (const [name, db] of dbs) {
  expect(db.engine === "postgres" && String(db.engine_version).startsWith("15"), `${name}: PostgreSQL 15`);
  expect(db.multi_az === true, `${name}: multi_az = true`);
  expect(db.storage_encrypted === true, `${name}: storage_encrypted = true`);
  expect(db.publicly_accessible === false, `${name}: publicly_accessible = false`);
  expect(Number(db.backup_retention_period) >= 30, `${name}: backup_retention_period >= 30`);
  expect(db.backup_window === "03:00-04:00" && db.maintenance_window === "sun:04:00-sun:05:00",
    `${name}: the seed's backup and maintenance windows`);
  expect(db.deletion_protection === true, `${name}: deletion_protection = true`);
  expect(db.storage_type === "gp3", `${name}: storage_type = gp3`);
  expect(typeof db.max_allocated_storage !== "undefined", `${name}: storage autoscaling (max_allocated_storage)`);
  expect(db.performance_insights_enabled === true, `${name}: performance_insights_enabled = true`);
  expect(Number(db.monitoring_interval) > 0, `${name}: enhanced monitoring (monitoring_interval > 0)`);
}
const params = one("aws_db_parameter_group").flatMap(([, g]) => g.parameter ?? []);
const param = (n) => params.find((p) => p.name === n);
expect(param("shared_preload_libraries")?.value?.includes("pg_stat_statements"), "parameter group: pg_stat_statements");
expect(param("log_min_duration_statement") !== undefined, "parameter group: the slow-query log");
expect(param("rds.force_ssl")?.value === "1", "parameter group: rds.force_ssl = 1");

const caches = one("aws_elasticache_replication_group");
expect(caches.length === 1, "exactly one aws_elasticache_replication_group");
for (const [name, c] of caches) {
  expect(c.transit_encryption_enabled === true, `${name}: TLS in transit`);
  expect(c.at_rest_encryption_enabled === true, `${name}: encryption at rest`);
  expect(c.automatic_failover_enabled === true, `${name}: automatic failover`);
  expect(typeof c.auth_token === "string" && c.auth_token.length > 0, `${name}: an auth token`);
}

for (const [name, rule] of one("aws_vpc_security_group_ingress_rule")) {
  expect(rule.cidr_ipv4 === undefined && rule.cidr_ipv6 === undefined && rule.referenced_security_group_id,
    `${name}: the database and the cache are reached from the nodes' security group only, not from CIDRs`);
}
expect(one("aws_security_group_rule").every(([, r]) => !JSON.stringify(r.cidr_blocks ?? "").includes("0.0.0.0/0")),
  "no security group rule open to 0.0.0.0/0");

for (const name of ["backend", "frontend"]) {
  expect(resources[`aws_ecr_repository.${name}`]?.image_tag_mutability === "IMMUTABLE", `ECR ${name}: immutable tags`);
}
for (const name of ["database", "redis", "jwt"]) {
  expect(resources[`aws_secretsmanager_secret.${name}`] !== undefined, `Secrets Manager: ${name}`);
}

const eks = Object.entries(modules).filter(([k]) => k.endsWith(":eks"));
expect(eks.length === 1, "one EKS module");
for (const [, m] of eks) {
  expect(m.enable_irsa === true, "EKS: IRSA enabled");
  // hcl2json wraps blocks and objects in lists; take the first element where it does.
  const one = (v) => (Array.isArray(v) ? v[0] : v);
  const entries = one(m.access_entries) ?? {};
  const deploy = one(entries.github_deploy);
  expect(deploy && String(deploy.principal_arn).includes("aws_iam_role.deploy.arn"),
    "EKS: an access entry for the pipeline's deploy role");
  const associations = Object.values(one(deploy?.policy_associations) ?? {}).map(one);
  expect(associations.length > 0 && associations.every((a) => one(a.access_scope)?.type === "namespace"
    && !String(a.policy_arn).includes("ClusterAdmin")),
    "EKS: the deploy role is scoped to its namespace, never cluster admin");
}
const envs = Object.entries(modules).filter(([k]) => k.endsWith(":platform"));
const nodes = Object.fromEntries(envs.map(([, m]) => [m.environment, Number(m.node_count)]));
expect(nodes.staging === 2 && nodes.production === 6, `node groups per the seed's matrix (staging 2, production 6), were ${JSON.stringify(nodes)}`);
const variables = files.filter((f) => f.endsWith("variables.tf")).map((f) => readFileSync(f, "utf8")).join("\n");
const version = /variable "kubernetes_version"[\s\S]*?default\s*=\s*"1\.(\d+)"/.exec(variables);
expect(version && Number(version[1]) >= 30, "EKS version still in AWS standard support (>= 1.30; the seed's 1.28 is not)");

if (problems.length) {
  console.error(`[terraform] ${problems.length} problem(s) in ${root}:\n  ` + problems.join("\n  "));
  process.exit(1);
}
console.log(`[terraform] ${files.length} files, ${Object.keys(resources).length} resources: every property holds`);
