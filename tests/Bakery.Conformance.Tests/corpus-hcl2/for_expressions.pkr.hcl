# oracle: same
# console: [for s in var.names : upper(s)]
# console: {for s in var.names : s => length(s)}
# console: [for i, s in var.names : "${i}-${s}" if i > 0]
variable "names" {
  type    = list(string)
  default = ["ubuntu", "debian", "al2"]
}
locals {
  upper_names = [for s in var.names : upper(s)]
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
