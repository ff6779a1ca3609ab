# The source in one file, the build in another, the values in an auto var file: Packer reads the folder as one template.
variable "role" {
  type = string
}

source "amazon-ebs" "web" {
  region        = "us-east-1"
  source_ami    = "ami-cd0f5cb6"
  instance_type = "m3.large"
  ssh_username  = "ubuntu"
  ami_name      = "folder-${var.role}-{{timestamp}}"
  tags = {
    Role = var.role
  }
}
