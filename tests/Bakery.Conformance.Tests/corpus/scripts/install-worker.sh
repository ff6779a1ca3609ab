#!/bin/sh
# Installs the node's runtime; every input comes from environment_vars.
set -eu
echo "kubernetes ${KUBERNETES_VERSION:?} into ${WORKING_DIR:?}"
mkdir -p "$WORKING_DIR"
