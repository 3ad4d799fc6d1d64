#!/usr/bin/env bash
# Compiles every example app under src/<name>/<name>.c to WebAssembly (wasm32-wasi) into
# the directory given as $1 (default: target/classes/io/gridchain/apps), so the jar carries them.
# Called by Maven (exec-maven-plugin, generate-resources); can also be run by hand.
# Needs Debian's clang, lld, wasi-libc and libclang-rt-14-dev-wasm32.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/target/classes/io/gridchain/apps}"
CC="${WASI_CC:-clang}"
CFLAGS=(--target=wasm32-wasi -O2 -Wall -Werror)
MISSING="clang with wasm32-wasi support not found: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32"

probe_dir="$(mktemp -d)"
trap 'rm -rf "$probe_dir"' EXIT
printf '#include <stdio.h>\nint main(void){puts("ok");return 0;}\n' > "$probe_dir/probe.c"
if ! command -v "$CC" >/dev/null 2>&1 \
   || ! "$CC" "${CFLAGS[@]}" "$probe_dir/probe.c" -o "$probe_dir/probe.wasm" >"$probe_dir/log" 2>&1; then
  echo "$MISSING" >&2
  exit 1
fi

mkdir -p "$out"
for src in "$here"/src/*/*.c; do
  name="$(basename "$src" .c)"
  [ "$(basename "$(dirname "$src")")" = "$name" ] || continue
  dst="$out/$name.wasm"
  if [ ! -f "$dst" ] || [ "$src" -nt "$dst" ] || [ "$0" -nt "$dst" ]; then
    "$CC" "${CFLAGS[@]}" "$src" -o "$dst"
    echo "built $name.wasm ($(wc -c < "$dst") bytes)"
  fi
done
