#!/usr/bin/env bash
# Installs the offline IAM evaluator's packages exactly as locked (@cloud-copilot/iam-simulate and iam-data, run on the
# Node 22 of ../stepfunctions). Idempotent: does nothing when node_modules was installed from the current lock file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

stamp=node_modules/.bakery-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi

command -v npm >/dev/null || { echo "install.sh: npm is required (apt-get install npm)" >&2; exit 1; }
echo "==> Installing the IAM evaluator (npm ci in ${PWD#"$(cd ../../.. && pwd)"/})" >&2
npm ci --no-audit --no-fund --prefer-offline --loglevel=error >&2
echo "$want" > "$stamp"
