# oracle: same
source "amazon-ebs" "ubuntu" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "base-{{timestamp}}"
}
source "amazon-ebs" "al2" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "al2-{{timestamp}}"
}
build {
  sources = ["source.amazon-ebs.ubuntu", "source.amazon-ebs.al2"]
  provisioner "shell" {
    only   = ["amazon-ebs.ubuntu"]
    inline = ["apt-get update"]
  }
  provisioner "shell" {
    except = ["amazon-ebs.ubuntu"]
    inline = ["yum update -y"]
  }
}
