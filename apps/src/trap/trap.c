/*
 * trap: fault app for runtime tests. Ends with a WebAssembly trap.
 *
 * Usage:  trap [oob|unreachable]
 *   oob (default): reads far outside linear memory -> "out of bounds memory access" trap.
 *   unreachable:   executes __builtin_trap() (the wasm `unreachable` instruction).
 *
 * Build:  clang --target=wasm32-wasi -O2 trap.c -o trap.wasm
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("trap: about to fault\n");
    fflush(stdout);
    if (argc > 1 && strcmp(argv[1], "unreachable") == 0) {
        __builtin_trap();
    }
    volatile unsigned int *p = (volatile unsigned int *) 0xFFFFFFF0u;
    printf("value: %u\n", *p);
    return 0;
}
