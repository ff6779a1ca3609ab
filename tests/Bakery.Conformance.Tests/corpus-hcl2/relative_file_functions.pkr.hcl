# oracle: same
# console: file("relative-paths/motd.txt")
# console: fileexists("relative-paths/only-beside.txt")
# console: fileexists("only-in-cwd.txt")
# console: fileset("relative-paths", "*.txt")
# console: local.banner
# console: abspath("relative-paths/motd.txt")
# Relative paths in file(), fileexists() and fileset() start at the template's folder, not the folder packer runs in
# (only abspath() uses that): Hcl2RelativePathTests runs this file from relative-paths/elsewhere, whose decoys would
# show the difference.
locals {
  banner = trimspace(file("relative-paths/only-beside.txt"))
}
source "amazon-ebs" "web" {
  region          = "us-east-1"
  source_ami      = "ami-0123456789abcdef0"
  instance_type   = "t3.micro"
  ssh_username    = "ec2-user"
  ami_name        = "web-{{timestamp}}"
  ami_description = local.banner
}
build {
  sources = ["source.amazon-ebs.web"]
}
