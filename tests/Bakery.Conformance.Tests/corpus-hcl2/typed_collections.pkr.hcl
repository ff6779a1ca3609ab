# oracle: same
# console: var.zones[1]
# console: length(var.tags)
# console: var.volume.size * 2
# console: join(",", var.zones)
variable "zones" {
  type    = list(string)
  default = ["a", "b", "c"]
}
variable "tags" {
  type    = map(string)
  default = { Team = "platform", Cost = "42" }
}
variable "volume" {
  type    = object({ size = number, type = string })
  default = { size = 30, type = "gp2" }
}
source "amazon-ebs" "base" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "base-{{timestamp}}"
  tags = var.tags
}
build {
  sources = ["source.amazon-ebs.base"]
}
