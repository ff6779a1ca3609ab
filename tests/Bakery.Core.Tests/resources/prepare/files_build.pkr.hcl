# file(), templatefile() and fileexists() read the uploaded bundle (a sub-folder too), as Packer reads the disk.
locals {
  motd = file("${path.root}/config/motd.txt")
}

source "amazon-ebs" "web" {
  region        = "us-east-1"
  source_ami    = "ami-12345678"
  instance_type = "t3.micro"
  ami_name      = "web-files"
  user_data     = templatefile("${path.root}/config/user-data.tpl", { hostname = "web-1", packages = ["nginx", "curl"] })
}

build {
  sources = ["source.amazon-ebs.web"]

  provisioner "shell" {
    inline = [
      "echo '${trimspace(local.motd)}' > /etc/motd",
      fileexists("${path.root}/extra.sh") ? "echo extra" : "echo no-extra",
    ]
  }
}
