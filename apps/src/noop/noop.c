/*
 * noop: no-op example app for gridchain, the task of `gridchain bench throughput`.
 *
 * Usage:  noop [ARG...]
 *   Ignores its arguments, reads and writes nothing, exits 0. Its result is the empty /out
 *   directory, whose digest (zero files) is the same on every worker, so replicas agree and the
 *   task is certified like any other; the benchmark then measures the pipeline, not the app.
 *   Exit code: always 0.
 *
 * Build:  clang --target=wasm32-wasi -O2 noop.c -o noop.wasm
 */
int main(void) {
    return 0;
}
