# oracle: same
source "amazon-ebs" "base" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "base-{{timestamp}}"
  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = 20
    volume_type           = "gp2"
    delete_on_termination = true
  }
  launch_block_device_mappings {
    device_name = "/dev/xvdb"
    volume_size = 50
  }
}
build {
  sources = ["source.amazon-ebs.base"]
}
