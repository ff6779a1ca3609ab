# oracle: same
# console: try(var.m.missing, "default")
# console: can(var.m.missing)
# console: can(var.m.k)
variable "m" {
  type    = map(string)
  default = { k = "v" }
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
