#!/bin/sh
# Base packages for the image; run by the shell provisioner.
set -eu
sudo yum -y update
sudo yum -y install jq
