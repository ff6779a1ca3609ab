# oracle: same
variable "size" {
  type    = number
  default = "big"
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
