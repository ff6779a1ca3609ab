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

# Stage 3: the offline IAM evaluator: @cloud-copilot/iam-simulate and iam-data (npm ci from the lock file, runs on stage 2's Node 22).
stage "IAM evaluator (iam-simulate, iam-data)"
"$here/iam/install.sh"

# Stage 4: cfn-lint (its bundled samtranslator also expands the SAM transform for the IAM evaluator) for the template's static checks (the machine image ships it; install it where it does not).
if ! command -v cfn-lint >/dev/null; then
  stage "cfn-lint"
  python3 -m pip install --quiet cfn-lint
fi

# Stage 5: PowerShell 7.6.10 (the `PowerShell` .NET global tool), to run the generated PowerShell commands for real.
stage "PowerShell (pwsh, .NET global tool)"
"$here/pwsh.sh"

# Stage 6: Packer, the reference the conformance suite (tests/Bakery.Conformance.Tests) compares Bakery with: Debian's
# `packer` 1.6.6. The package lists are refreshed only when they do not know the package yet (a fresh machine).
if ! command -v packer >/dev/null; then
  stage "packer (Debian's 1.6.6, the conformance suite's reference)"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo_cmd=(sudo -n)
  fi
  if ! apt-cache show packer >/dev/null 2>&1; then
    "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  fi
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends packer >/dev/null
fi
