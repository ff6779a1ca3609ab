#!/bin/sh
# Runs at first boot of the build instance.
echo "build instance up"
