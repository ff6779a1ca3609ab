# HCL2 data sources read by Prepare: a parameter under the stack's DataParameterPath, a secret under its DataSecretPrefix.
data "amazon-parameterstore" "release" {
  name = "/bakery/data/iam/release"
}

data "amazon-secretsmanager" "token" {
  name = "bakery/data/iam/token"
  key  = "token"
}

source "amazon-ebs" "web" {
  region        = "us-east-1"
  source_ami    = "ami-cd0f5cb6"
  instance_type = "t3.micro"
  ami_name      = "bakery-iam-data-${data.amazon-parameterstore.release.value}"
}

build {
  sources = ["source.amazon-ebs.web"]

  provisioner "shell" {
    inline = ["echo ${data.amazon-secretsmanager.token.value} > /tmp/token"]
  }
}
