#!/usr/bin/env bash
# The test command: installs missing build dependencies, then builds everything and runs every test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-deps.sh
mvn -B verify "$@"
