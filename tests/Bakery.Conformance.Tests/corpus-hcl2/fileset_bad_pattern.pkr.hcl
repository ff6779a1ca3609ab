# oracle: same
locals {
  scripts = fileset(path.root, "fileset-tree/scripts/[0-9*.sh")
}
source "amazon-ebs" "web" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "web-{{timestamp}}"
}
build {
  sources = ["source.amazon-ebs.web"]
  provisioner "shell" {
    scripts = local.scripts
  }
}
