#!/bin/sh
# Leaves no build traces in the image.
set -eu
sudo rm -rf /tmp/* /var/log/cloud-init*.log
