/*
 * spin: fault app for runtime tests. Loops forever without calling the host.
 *
 * Usage:  spin
 *   Prints "spin: starting" then burns CPU forever; the runtime must stop it at its wall time.
 *
 * Build:  clang --target=wasm32-wasi -O2 spin.c -o spin.wasm
 */
#include <stdio.h>

int main(void) {
    printf("spin: starting\n");
    fflush(stdout);
    volatile unsigned long long counter = 0;
    for (;;) {
        counter++;
    }
    return 0;
}
