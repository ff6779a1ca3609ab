# oracle: same
# console: local.list
# console: local.flag
variable "pkgs" {
  type    = list(string)
  default = ["git", "curl"]
}
locals {
  list = "%{ for p in var.pkgs }${p};%{ endfor }"
  flag = "%{ if length(var.pkgs) > 1 }many%{ else }one%{ endif }"
}
source "amazon-ebs" "base" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "base-{{timestamp}}"
}
build {
  sources = ["source.amazon-ebs.base"]
}
