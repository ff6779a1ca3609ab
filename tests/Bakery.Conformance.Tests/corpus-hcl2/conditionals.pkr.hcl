# oracle: same
# console: var.arch == "arm64" ? "m6g.large" : "m5.large"
# console: var.encrypt && !false
variable "arch" {
  type    = string
  default = "arm64"
}
variable "encrypt" {
  type    = bool
  default = true
}
source "amazon-ebs" "base" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = var.arch == "arm64" ? "m6g.large" : "m5.large"
  ssh_username  = "ec2-user"
  ami_name      = "base-{{timestamp}}"
  encrypt_boot = var.encrypt
}
build {
  sources = ["source.amazon-ebs.base"]
}
