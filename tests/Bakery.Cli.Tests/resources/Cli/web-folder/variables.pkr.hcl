# A folder of templates built as one (`bakery build .`, as `packer build .`): variables here, the source and the
# build in their own files, the app name from app.auto.pkrvars.hcl.
variable "app" {
  type = string
}

variable "env" {
  type    = string
  default = "dev"
}
