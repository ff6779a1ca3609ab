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

# Stage 2: Step Functions: aws-local-stepfunctions 3.0.0 on Node 22, asl-validator (npm ci from the lock file).
stage "Step Functions runner (aws-local-stepfunctions on Node 22)"
"$here/stepfunctions/install.sh"

# Stage 3: cfn-lint for the template's static checks (the machine image ships it; install it where it does not).
if ! command -v cfn-lint >/dev/null; then
  stage "cfn-lint"
  python3 -m pip install --quiet cfn-lint
fi

# Stage 4: Packer, the reference the conformance suite (tests/Bakery.Conformance.Tests) compares Bakery with: Debian's
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
