# The staging environment (the seed's matrix: EKS with 2 nodes, RDS PostgreSQL Multi-AZ).
terraform {
  required_version = ">= 1.6"
  backend "s3" {
    bucket         = "order-management-terraform-state"
    key            = "staging/terraform.tfstate"
    region         = "us-west-2"
    dynamodb_table = "order-management-terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = "us-west-2"
}

module "platform" {
  source               = "../../modules/platform"
  environment          = "staging"
  region               = "us-west-2"
  node_count           = 2
  github_repository    = "your-org/order-management"
  db_instance_class    = "db.r6g.large"
  db_allocated_storage = 200
  cache_node_type      = "cache.t4g.medium"
}

output "platform" {
  description = "What the chart and the workflow need"
  value       = module.platform
}
