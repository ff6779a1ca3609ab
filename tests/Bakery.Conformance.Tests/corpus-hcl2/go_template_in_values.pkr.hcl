# oracle: same
source "amazon-ebs" "base" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "eks-{{timestamp}}"
  tags = {
    Name    = "eks-{{timestamp}}"
    Created = "{{isotime \"2006-01-02\"}}"
  }
}
build {
  sources = ["source.amazon-ebs.base"]
}
