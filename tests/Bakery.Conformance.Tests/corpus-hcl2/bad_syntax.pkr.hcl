# oracle: same
source "amazon-ebs" "base" {
  region = "us-east-1"
  instance_type = [
  ssh_username  = "ec2-user"
}
