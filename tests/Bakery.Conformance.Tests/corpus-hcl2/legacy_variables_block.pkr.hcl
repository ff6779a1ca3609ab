# oracle: same
# console: var.region
variables {
  region = "eu-west-1"
}
source "amazon-ebs" "base" {
  region        = var.region
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "base-{{timestamp}}"
}
build {
  sources = ["source.amazon-ebs.base"]
}
