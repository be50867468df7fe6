variable "environment" {
  description = "staging or production"
  type        = string
  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "region" {
  description = "AWS region"
  type        = string
  default     = "us-west-2"
}

variable "vpc_cidr" {
  description = "CIDR of the VPC (three availability zones, public, node, database and cache subnets)"
  type        = string
  default     = "10.0.0.0/16"
}

variable "kubernetes_version" {
  description = "EKS version: one AWS still supports in standard support (the seed's 1.28 left it in November 2024)"
  type        = string
  default     = "1.31"
}

variable "node_count" {
  description = "Managed node group size (the seed's matrix: staging 2, production 6)"
  type        = number
}

variable "node_instance_type" {
  description = "EC2 type of the nodes"
  type        = string
  default     = "m6i.xlarge"
}

variable "db_instance_class" {
  description = "RDS instance class (the seed: db.r6g.xlarge)"
  type        = string
  default     = "db.r6g.xlarge"
}

variable "db_allocated_storage" {
  description = "Initial storage in GiB (the seed: 1000)"
  type        = number
  default     = 1000
}

variable "db_max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB (the seed: 5000)"
  type        = number
  default     = 5000
}

variable "cache_node_type" {
  description = "ElastiCache node type"
  type        = string
  default     = "cache.r6g.large"
}

variable "github_repository" {
  description = "owner/name of the repository whose workflow may push images and deploy (GitHub OIDC)"
  type        = string
}
