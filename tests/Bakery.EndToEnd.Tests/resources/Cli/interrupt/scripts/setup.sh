#!/bin/sh
# Staged by Prepare under staging/{buildId}/: an interrupted build must not leave it there.
echo "setting up"
