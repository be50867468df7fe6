# Sessions, rate limits and revocations: ElastiCache Redis 7, a replication group with automatic failover, TLS in
# transit (the server's REDIS_TLS), an auth token (REDIS_PASSWORD), encryption at rest.
resource "random_password" "redis" {
  length  = 64
  special = false
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "${local.name}-redis"
  description          = "order-management sessions, rate limits and revocations"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = var.cache_node_type
  num_cache_clusters   = 2
  port                 = 6379

  automatic_failover_enabled = true
  multi_az_enabled           = true
  transit_encryption_enabled = true
  at_rest_encryption_enabled = true
  auth_token                 = random_password.redis.result

  subnet_group_name        = module.vpc.elasticache_subnet_group_name
  security_group_ids       = [aws_security_group.cache.id]
  snapshot_retention_limit = 7
  maintenance_window       = "sun:05:00-sun:06:00"
  apply_immediately        = false

  tags = local.tags
}
