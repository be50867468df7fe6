# The secrets the chart's values name (production-db-credentials, ...), kept in Secrets Manager with the keys the chart
# reads (host, username, password, name; host, password; secret, refresh_secret). External Secrets Operator copies them
# into Kubernetes Secrets of the same names (docs/deployment.md), so no secret value lives in Git or in Helm values.
resource "random_password" "jwt" {
  length  = 64
  special = false
}

resource "random_password" "jwt_refresh" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "database" {
  name = "${var.environment}-db-credentials"
  tags = local.tags
}

resource "aws_secretsmanager_secret_version" "database" {
  secret_id = aws_secretsmanager_secret.database.id
  secret_string = jsonencode({
    host     = aws_db_instance.event_store.address
    username = aws_db_instance.event_store.username
    password = random_password.db.result
    name     = aws_db_instance.event_store.db_name
  })
}

resource "aws_secretsmanager_secret" "redis" {
  name = "${var.environment}-redis-credentials"
  tags = local.tags
}

resource "aws_secretsmanager_secret_version" "redis" {
  secret_id = aws_secretsmanager_secret.redis.id
  secret_string = jsonencode({
    host     = aws_elasticache_replication_group.sessions.primary_endpoint_address
    password = random_password.redis.result
  })
}

resource "aws_secretsmanager_secret" "jwt" {
  name = "${var.environment}-jwt-secret"
  tags = local.tags
}

resource "aws_secretsmanager_secret_version" "jwt" {
  secret_id = aws_secretsmanager_secret.jwt.id
  secret_string = jsonencode({
    secret         = random_password.jwt.result
    refresh_secret = random_password.jwt_refresh.result
  })
}

# The role the External Secrets Operator's service account assumes (IRSA) to read exactly these three secrets.
module "external_secrets_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.48"

  role_name                      = "${local.name}-external-secrets"
  attach_external_secrets_policy = true
  external_secrets_secrets_manager_arns = [
    aws_secretsmanager_secret.database.arn,
    aws_secretsmanager_secret.redis.arn,
    aws_secretsmanager_secret.jwt.arn,
  ]
  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["external-secrets:external-secrets"]
    }
  }
  tags = local.tags
}
