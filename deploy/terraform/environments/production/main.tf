# The production environment (the seed's matrix: EKS with 6 nodes, RDS PostgreSQL Multi-AZ).
terraform {
  required_version = ">= 1.6"
  backend "s3" {
    bucket         = "order-management-terraform-state"
    key            = "production/terraform.tfstate"
    region         = "us-west-2"
    dynamodb_table = "order-management-terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = "us-west-2"
}

module "platform" {
  source            = "../../modules/platform"
  environment       = "production"
  region            = "us-west-2"
  node_count        = 6
  github_repository = "your-org/order-management"
}

output "platform" {
  description = "What the chart and the workflow need"
  value       = module.platform
}
