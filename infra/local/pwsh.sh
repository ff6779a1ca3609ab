#!/usr/bin/env bash
# Installs PowerShell (the `PowerShell` .NET global tool) for the tests that run the generated PowerShell commands with
# real pwsh. Cached outside the repo in ~/.cache/bakery/pwsh; idempotent and silent when the pinned version is there.
# `pwsh.sh path` prints the executable's path (installing first when needed).
set -euo pipefail

# 7.6.10: the newest PowerShell tool served here that installs (7.7.0 fails to install); keep in step with the tests.
version=7.6.10
dir="${BAKERY_CACHE:-$HOME/.cache/bakery}/pwsh"
exe="$dir/pwsh"

installed() {
  [[ -x "$exe" && -f "$dir/.bakery-version" && "$(cat "$dir/.bakery-version")" == "$version" ]]
}

if ! installed; then
  echo "==> Installing PowerShell $version (dotnet tool) into $dir" >&2
  rm -rf "$dir"
  mkdir -p "$dir"
  dotnet tool install PowerShell --tool-path "$dir" --version "$version" >/dev/null
  "$exe" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' >/dev/null
  echo "$version" > "$dir/.bakery-version"
fi

if [[ "${1:-}" == "path" ]]; then
  echo "$exe"
fi
