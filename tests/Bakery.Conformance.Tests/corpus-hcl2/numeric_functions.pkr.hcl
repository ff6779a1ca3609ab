# oracle: same
# console: max(3, 9, 4)
# console: min(3, 9, 4)
# console: ceil(1.2)
# console: floor(1.8)
# console: 10 / 4
# console: 7 % 3
# console: abs(-5)
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
