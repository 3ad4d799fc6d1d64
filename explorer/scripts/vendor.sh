#!/usr/bin/env bash
# Copies the explorer pages' front-end libraries from npm (pinned in package-lock.json) into the jar's static files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="$1"
if [ ! -f node_modules/chart.js/dist/chart.umd.min.js ]; then
  echo "installing the explorer's npm packages" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
mkdir -p "$out"
cp node_modules/chart.js/dist/chart.umd.min.js "$out/chart.umd.min.js"
cp node_modules/chart.js/LICENSE.md "$out/chart.js-LICENSE.md"
