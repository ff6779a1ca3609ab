# oracle: same
variable "disks" {
  type    = map(number)
  default = { "/dev/xvdb" = 50, "/dev/xvdc" = 100 }
}
source "amazon-ebs" "base" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "base-{{timestamp}}"
  dynamic "launch_block_device_mappings" {
    for_each = var.disks
    content {
      device_name = launch_block_device_mappings.key
      volume_size = launch_block_device_mappings.value
      volume_type = "gp2"
    }
  }
}
build {
  sources = ["source.amazon-ebs.base"]
}
