# oracle: same
# console: formatdate("YYYY-MM-DD hh:mm", "2024-05-06T07:08:09Z")
# console: formatdate("DD MMM YYYY", "2024-12-25T00:00:00Z")
# console: timeadd("2024-01-01T00:00:00Z", "36h")
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
