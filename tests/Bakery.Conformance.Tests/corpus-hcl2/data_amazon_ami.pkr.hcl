# oracle: newer data sources arrived in Packer 1.7 (docs: templates/hcl_templates/datasources); Bakery resolves amazon-ami as a source_ami_filter
data "amazon-ami" "al2023" {
  filters = {
    name = "al2023-ami-*-x86_64"
  }
  owners      = ["amazon"]
  most_recent = true
}
source "amazon-ebs" "base" {
  region        = "us-east-1"
  source_ami    = data.amazon-ami.al2023.id
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "base-{{timestamp}}"
}
build {
  sources = ["source.amazon-ebs.base"]
}
