#!/usr/bin/env bash
# Called by Maven (generate-sources): installs npm dependencies when missing, then compiles Solidity.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ]; then
  echo "contracts: node_modules missing, running npm ci" >&2
  npm ci --no-audit --no-fund
fi
exec node scripts/compile.js
