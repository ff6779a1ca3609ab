build {
  sources = ["source.amazon-ebs.web"]

  provisioner "shell" {
    script = "${path.root}/scripts/setup.sh"
  }
}
