data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  name = "order-management-${var.environment}"
  azs  = slice(data.aws_availability_zones.available.names, 0, 3)
  tags = {
    Project     = "order-management"
    Environment = var.environment
    ManagedBy   = "terraform"
  }
}

# Three availability zones: public subnets for the load balancers, private ones for the nodes, the database and the
# cache (terraform-aws-modules/vpc: a well-kept module instead of hand-written subnets and routes).
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.16"

  name                 = local.name
  cidr                 = var.vpc_cidr
  azs                  = local.azs
  public_subnets       = [for i in range(3) : cidrsubnet(var.vpc_cidr, 8, i)]
  private_subnets      = [for i in range(3) : cidrsubnet(var.vpc_cidr, 4, i + 1)]
  database_subnets     = [for i in range(3) : cidrsubnet(var.vpc_cidr, 8, i + 100)]
  elasticache_subnets  = [for i in range(3) : cidrsubnet(var.vpc_cidr, 8, i + 110)]
  enable_nat_gateway   = true
  single_nat_gateway   = var.environment != "production"
  enable_dns_hostnames = true

  create_database_subnet_group           = true
  create_database_subnet_route_table     = true
  create_database_internet_gateway_route = false
  create_elasticache_subnet_group        = true

  public_subnet_tags  = { "kubernetes.io/role/elb" = 1 }
  private_subnet_tags = { "kubernetes.io/role/internal-elb" = 1 }
  tags                = local.tags
}
