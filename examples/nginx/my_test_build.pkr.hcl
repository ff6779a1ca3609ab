# The seed example in HCL2: the same build as my_test_build.json, written as Packer's preferred format.
source "amazon-ebs" "my_test_machine" {
  region                      = "us-east-1"
  source_ami                  = "ami-cd0f5cb6"
  instance_type               = "m3.large"
  ssh_username                = "ubuntu"
  associate_public_ip_address = true
  ami_name                    = "packer.my_test_machine.{{timestamp}}"
  tags = {
    Name   = "packer.my_test_machine.{{timestamp}}"
    source = "packer"
  }
}

build {
  sources = ["source.amazon-ebs.my_test_machine"]

  provisioner "shell" {
    script = "${path.root}/packer_provision.sh"
  }
}
