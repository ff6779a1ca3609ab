# oracle: same
# console: format("%s-%03d", var.name, 7)
# console: replace(var.name, "-", "_")
# console: split("-", var.name)
# console: lower(var.name)
# console: trimspace("  x  ")
# console: substr(var.name, 0, 3)
variable "name" {
  type    = string
  default = "Jenkins-Agent-Ubuntu"
}
source "amazon-ebs" "base" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "${lower(var.name)}-{{timestamp}}"
}
build {
  sources = ["source.amazon-ebs.base"]
}
