# An HCL2 build file whose Bakery settings are in HCL too (web.bakery.hcl beside it; Packer never reads that file).
source "amazon-ebs" "web" {
  region        = "us-east-1"
  source_ami    = "ami-cd0f5cb6"
  instance_type = "t3.micro"
  ssh_username  = "ubuntu"
  ami_name      = "hcl-settings-web-{{timestamp}}"
}

build {
  sources = ["source.amazon-ebs.web"]

  provisioner "shell" {
    inline = ["echo baked with settings written in HCL"]
  }
}
