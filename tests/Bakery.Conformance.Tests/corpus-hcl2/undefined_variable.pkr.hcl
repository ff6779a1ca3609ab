# oracle: same
source "amazon-ebs" "base" {
  region        = var.regoin
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "base-{{timestamp}}"
}
variable "region" {
  default = "us-east-1"
}
build {
  sources = ["source.amazon-ebs.base"]
}
