source "amazon-ebs" "web" {
  region        = "us-east-1"
  source_ami    = "ami-cd0f5cb6"
  instance_type = "t3.micro"
  ssh_username  = "ubuntu"
  ami_name      = "bakery-${var.app}-${var.env}-{{timestamp}}"
  tags = {
    App = var.app
    Env = var.env
  }
}
