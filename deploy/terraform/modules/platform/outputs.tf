output "cluster_name" {
  description = "EKS cluster (vars.EKS_CLUSTER of the workflow)"
  value       = module.eks.cluster_name
}

output "deploy_role_arn" {
  description = "The role GitHub Actions assume (vars.AWS_ROLE_ARN)"
  value       = aws_iam_role.deploy.arn
}

output "ecr_backend_repository" {
  description = "backend.image.repository of the chart"
  value       = aws_ecr_repository.backend.repository_url
}

output "ecr_frontend_repository" {
  description = "frontend.image.repository of the chart"
  value       = aws_ecr_repository.frontend.repository_url
}

output "database_endpoint" {
  description = "DB_HOST"
  value       = aws_db_instance.event_store.address
}

output "redis_endpoint" {
  description = "REDIS_HOST (TLS: REDIS_TLS=true)"
  value       = aws_elasticache_replication_group.sessions.primary_endpoint_address
}

output "external_secrets_role_arn" {
  description = "eks.amazonaws.com/role-arn of the External Secrets Operator's service account"
  value       = module.external_secrets_irsa.iam_role_arn
}

output "vpc_public_subnet_cidrs" {
  description = "networkPolicy.loadBalancerCidrs of the chart (ALB with target-type ip)"
  value       = module.vpc.public_subnets_cidr_blocks
}
