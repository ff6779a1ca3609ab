build {
  sources = ["source.amazon-ebs.web"]

  provisioner "shell" {
    script = "${path.root}/setup.sh"
  }
}
