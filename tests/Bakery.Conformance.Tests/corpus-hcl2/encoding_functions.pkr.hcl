# oracle: same
# console: jsonencode(var.cfg)
# console: base64encode("bakery")
# console: base64decode("YmFrZXJ5")
# console: sha256("bakery")
# console: md5("bakery")
variable "cfg" {
  type    = map(string)
  default = { b = "2", a = "1" }
}
source "amazon-ebs" "base" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "base-{{timestamp}}"
  user_data = base64encode(jsonencode(var.cfg))
}
build {
  sources = ["source.amazon-ebs.base"]
}
