# oracle: same
source "amazon-ebs" "base" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "base-{{timestamp}}"
}
build {
  sources = ["source.amazon-ebs.base"]
  provisioner "shell" {
    inline       = ["echo hi"]
    pause_before = "10s"
    max_retries  = 3
    timeout      = "5m"
  }
}
