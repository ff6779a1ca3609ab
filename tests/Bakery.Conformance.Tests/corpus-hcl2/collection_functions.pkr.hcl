# oracle: same
# console: concat(var.a, var.b)
# console: distinct(concat(var.a, var.a))
# console: lookup(var.m, "x", "none")
# console: contains(var.a, "one")
# console: flatten([var.a, [var.b]])
# console: coalesce("", "fallback")
# console: element(var.a, 3)
# console: compact(["a", "", "b"])
variable "a" {
  type    = list(string)
  default = ["one", "two"]
}
variable "b" {
  type    = list(string)
  default = ["three"]
}
variable "m" {
  type    = map(string)
  default = { y = "why" }
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
