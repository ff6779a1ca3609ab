#!/usr/bin/env bash
# Installs what the local stand-in needs, once (each part skips itself when already in place).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Step Functions: aws-local-stepfunctions 3.0.0 on Node 22, asl-validator (npm ci from the lock file).
"$here/stepfunctions/install.sh"

# cfn-lint for the template's static checks (the machine image ships it; install it where it does not).
if ! command -v cfn-lint >/dev/null; then
  python3 -m pip install --quiet cfn-lint
fi
