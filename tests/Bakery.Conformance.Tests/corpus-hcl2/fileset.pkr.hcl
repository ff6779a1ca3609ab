# oracle: same
# console: fileset(path.root, "fileset-tree/conf/*.conf")
# console: fileset("fileset-tree", "**")
# console: fileset("fileset-tree/scripts", "**/*.sh")
# console: fileset("fileset-tree/conf", "{*.conf,*.ini}")
# console: fileset("fileset-tree/scripts", "0[12]-*.sh")
# console: fileset("fileset-tree/conf", "[^n]*")
# console: fileset("fileset-tree/conf", "*")
# console: fileset("fileset-tree/scripts", "deep")
# console: fileset("fileset-tree/none", "*")
# console: length(fileset("fileset-tree", "**/*.sh"))
locals {
  # Ordered provisioning scripts, as jenkins-infra's templates collect them.
  scripts = [for f in fileset("${path.root}/fileset-tree/scripts", "*.sh") : "${path.root}/fileset-tree/scripts/${f}"]
  configs = fileset(path.root, "fileset-tree/conf/**/*.conf")
}
source "amazon-ebs" "web" {
  region        = "us-east-1"
  source_ami    = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  ami_name      = "web-{{timestamp}}"
}
build {
  sources = ["source.amazon-ebs.web"]
  provisioner "file" {
    sources     = [for f in local.configs : "${path.root}/${f}"]
    destination = "/tmp/"
  }
  provisioner "shell" {
    scripts = local.scripts
  }
}
