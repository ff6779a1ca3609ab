# oracle: same
# console: var.disks[*].size
# console: var.disks.*.name
# console: max(var.disks[*].size...)
variable "disks" {
  type = list(object({ name = string, size = number }))
  default = [
    { name = "/dev/xvda", size = 20 },
    { name = "/dev/xvdb", size = 100 },
  ]
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
