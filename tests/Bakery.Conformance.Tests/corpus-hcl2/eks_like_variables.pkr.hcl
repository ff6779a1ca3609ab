# oracle: same
# console: var.kubernetes_version
# console: local.ami_name
# console: upper(var.arch)
variable "kubernetes_version" {
  type    = string
  default = "1.29"
}
variable "arch" {
  type    = string
  default = "x86_64"
}
variable "instance_type" {
  type    = string
  default = "m5.large"
}
locals {
  ami_name = "amazon-eks-node-${var.kubernetes_version}-${var.arch}"
}
source "amazon-ebs" "base" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = var.instance_type
  ssh_username  = "ec2-user"
  ami_name      = "${local.ami_name}-{{timestamp}}"
}
build {
  sources = ["source.amazon-ebs.base"]
}
