#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build gridchain: clang, lld and wasi-libc for the
# example WebAssembly apps, the PostgreSQL 15 server binaries for the scheduler's state store
# tests (initdb/pg_ctl; the tests start their own throwaway cluster), iproute2 for the multi-host
# suite's network namespaces (`ip netns`, veth, a bridge), openssl for the TLS tests' certificates, fonts for the
# benchmarks' SVG charts (text is measured when drawn), Debian's chromium and chromedriver for the explorer's browser
# tests, the explorer pages' npm packages (Chart.js), and the contracts' npm
# packages (solc, OpenZeppelin, anvil) and the second EVM the tests run on (Hardhat's EDR, in
# protocol/src/main/node/edr-node).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PKGS=(clang lld wasi-libc libclang-rt-14-dev-wasm32 postgresql-15 iproute2 openssl fontconfig fonts-dejavu-core chromium chromium-driver)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "gridchain: missing Debian packages ${missing[*]}: install them as root" >&2; exit 1; }
    SUDO="sudo"
  fi
  echo "installing Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}" >&2
fi

if [ ! -d contracts/node_modules ]; then
  echo "installing the contracts' npm packages" >&2
  (cd contracts && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

if [ ! -d explorer/node_modules/chart.js ]; then
  echo "installing the explorer pages' npm packages" >&2
  (cd explorer && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

if [ ! -d protocol/src/main/node/edr-node/node_modules/@nomicfoundation/edr ]; then
  echo "installing the EDR node's npm packages (the second EVM of the tests)" >&2
  # EDR declares Node >= 22 but runs on 20: npm only warns (EBADENGINE) for the packages listed directly.
  (cd protocol/src/main/node/edr-node && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
