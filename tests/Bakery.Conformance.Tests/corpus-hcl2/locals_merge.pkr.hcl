# oracle: same
# console: local.tags
# console: keys(local.tags)
variable "tags" {
  type    = map(string)
  default = { Team = "ci" }
}
locals {
  common = { ManagedBy = "packer", Team = "infra" }
  tags   = merge(local.common, var.tags, { Name = "agent" })
}
source "amazon-ebs" "base" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "base-{{timestamp}}"
  tags = local.tags
}
build {
  sources = ["source.amazon-ebs.base"]
}
