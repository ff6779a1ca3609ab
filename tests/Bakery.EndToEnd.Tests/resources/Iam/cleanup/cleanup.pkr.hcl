# Three builds whose provisioning fails (the test SSM's BAKERY_COMMAND_FAILS), so ErrorCleanup runs each kind of
# command it can send: a folder upload (its transfer list, the staged folder's listing), a download (a presigned PUT
# under downloads/) and a PowerShell command (AWS-RunPowerShellScript). One execution: the Map runs them side by side.
source "amazon-ebs" "upload" {
  region        = "us-east-1"
  source_ami    = "ami-cd0f5cb6"
  instance_type = "t3.micro"
  ami_name      = "bakery-iam-cleanup-upload"
}

source "amazon-ebs" "download" {
  region        = "us-east-1"
  source_ami    = "ami-cd0f5cb6"
  instance_type = "t3.micro"
  ami_name      = "bakery-iam-cleanup-download"
}

source "amazon-ebs" "powershell" {
  region        = "us-east-1"
  source_ami    = "ami-cd0f5cb6"
  instance_type = "t3.micro"
  ami_name      = "bakery-iam-cleanup-powershell"
}

build {
  sources = ["source.amazon-ebs.upload"]

  provisioner "shell" {
    inline           = ["echo installing"]
    environment_vars = ["BAKERY_COMMAND_FAILS=1"]
  }

  error-cleanup-provisioner "file" {
    source      = "diagnostics/"
    destination = "/tmp/diagnostics"
  }
}

build {
  sources = ["source.amazon-ebs.download"]

  provisioner "shell" {
    inline           = ["echo installing"]
    environment_vars = ["BAKERY_COMMAND_FAILS=1"]
  }

  error-cleanup-provisioner "file" {
    direction   = "download"
    source      = "/var/log/cloud-init-output.log"
    destination = "logs/"
  }
}

build {
  sources = ["source.amazon-ebs.powershell"]

  provisioner "shell" {
    inline           = ["echo installing"]
    environment_vars = ["BAKERY_COMMAND_FAILS=1"]
  }

  error-cleanup-provisioner "powershell" {
    inline = ["Write-Output 'collecting the agent log'"]
  }
}
