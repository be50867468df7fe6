# EKS with a managed node group and IRSA (terraform-aws-modules/eks).
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.31"

  cluster_name                             = local.name
  cluster_version                          = var.kubernetes_version
  vpc_id                                   = module.vpc.vpc_id
  subnet_ids                               = module.vpc.private_subnets
  cluster_endpoint_public_access           = true
  cluster_endpoint_private_access          = true
  enable_irsa                              = true
  enable_cluster_creator_admin_permissions = true

  # The pipeline's role (pipeline.tf) deploys with Helm into this environment's namespace only: the EKS "edit"
  # access policy scoped to it, no cluster-wide rights (a namespace and its Pod Security labels are made once by an
  # administrator, docs/deployment.md).
  access_entries = {
    github_deploy = {
      principal_arn = aws_iam_role.deploy.arn
      policy_associations = {
        edit = {
          policy_arn = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"
          access_scope = {
            type       = "namespace"
            namespaces = [var.environment]
          }
        }
      }
    }
  }

  eks_managed_node_groups = {
    default = {
      instance_types = [var.node_instance_type]
      min_size       = var.node_count
      desired_size   = var.node_count
      max_size       = var.node_count * 2
    }
  }

  tags = local.tags
}
