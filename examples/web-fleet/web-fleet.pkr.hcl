# A second HCL2 example: typed and validated variables, locals with merge, an amazon-ami data source, two sources in
# one build and a dynamic block. Bake it with: bakery build examples/web-fleet/web-fleet.pkr.hcl
packer {
  required_plugins {
    amazon = {
      version = ">= 1.2.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "environment" {
  type        = string
  default     = "dev"
  description = "Where the images are used; part of their names and tags."
  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "The environment must be dev, staging or prod."
  }
}

variable "root_volume_gib" {
  type    = number
  default = 8
  validation {
    condition     = var.root_volume_gib >= 8 && var.root_volume_gib <= 64
    error_message = "The root volume must be between 8 and 64 GiB."
  }
}

variable "extra_volumes" {
  type = list(object({
    device = string
    size   = number
  }))
  default = [{ device = "/dev/sdf", size = 20 }]
}

variable "tags" {
  type    = map(string)
  default = { Team = "web" }
}

locals {
  stamp = formatdate("YYYYMMDDhhmmss", timestamp())
  tags = merge(var.tags, {
    Environment = var.environment
    BuiltBy     = "bakery"
  })
}

data "amazon-ami" "ubuntu" {
  filters = {
    name                = "ubuntu/images/*ubuntu-jammy-22.04-amd64-server-*"
    root-device-type    = "ebs"
    virtualization-type = "hvm"
  }
  owners      = ["099720109477"]
  most_recent = true
}

source "amazon-ebs" "web" {
  region        = var.region
  source_ami    = data.amazon-ami.ubuntu.id
  instance_type = "t3.micro"
  ami_name      = "web-${var.environment}-${local.stamp}"
  tags          = merge(local.tags, { Role = "web" })

  launch_block_device_mappings {
    device_name           = "/dev/sda1"
    volume_size           = var.root_volume_gib
    volume_type           = "gp3"
    delete_on_termination = true
  }

  dynamic "launch_block_device_mappings" {
    for_each = var.extra_volumes
    content {
      device_name = launch_block_device_mappings.value.device
      volume_size = launch_block_device_mappings.value.size
      volume_type = "gp3"
    }
  }
}

source "amazon-ebs" "worker" {
  region        = var.region
  source_ami    = data.amazon-ami.ubuntu.id
  instance_type = "t3.small"
  ami_name      = "worker-${var.environment}-${local.stamp}"
  tags          = merge(local.tags, { Role = "worker" })
}

build {
  name    = "fleet"
  sources = ["source.amazon-ebs.web", "source.amazon-ebs.worker"]

  provisioner "shell" {
    inline = ["echo building ${source.name} for ${var.environment}"]
  }

  provisioner "shell" {
    only   = ["amazon-ebs.web"]
    script = "${path.root}/install-nginx.sh"
  }

  post-processor "manifest" {
    output     = "manifest.json"
    strip_path = true
  }
}
