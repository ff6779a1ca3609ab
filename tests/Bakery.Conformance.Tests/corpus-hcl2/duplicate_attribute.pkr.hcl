# oracle: same
source "amazon-ebs" "base" {
  region = "us-east-1"
  region = "us-west-2"
}
build {
  sources = ["source.amazon-ebs.base"]
}
