#!/usr/bin/env bash
# Everything the tests need on a fresh machine, installed once and cached outside the repo.
# Idempotent and quiet when already done: one progress line per stage. `tests/run` calls it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

stage() {
  echo "prerequisites: $1" >&2
}

# Stage 1: the AWS stand-in (moto).
stage "moto (AWS stand-in)"
"$here/moto.sh" install

# Stage 1b: the local instances' base image (Debian trixie minbase with debootstrap; about a minute the first time).
# Instances need root (overlayfs, namespaces); elsewhere the stand-in says scripts do not run, and so do the tests.
if [[ $(id -u) == 0 ]]; then
  if ! "$here/base-image.sh" path >/dev/null; then
    stage "base image for local instances (Debian trixie minbase)"
  fi
  "$here/base-image.sh" install
else
  stage "base image for local instances: skipped (needs root)"
fi

# Stage 2: Step Functions: aws-local-stepfunctions 3.0.0 on Node 22, asl-validator (npm ci from the lock file).
stage "Step Functions runner (aws-local-stepfunctions on Node 22)"
"$here/stepfunctions/install.sh"

# Stage 3: cfn-lint for the template's static checks (the machine image ships it; install it where it does not).
if ! command -v cfn-lint >/dev/null; then
  stage "cfn-lint"
  python3 -m pip install --quiet cfn-lint
fi
