#!/bin/sh
set -e
sudo apt-get update -y
sudo apt-get install -y nginx
