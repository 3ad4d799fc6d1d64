/*
 * flood: fault app for runtime tests. Writes output forever.
 *
 * Usage:  flood
 *   Appends 64 KiB blocks to /out/big.bin forever, ignoring errors; the runtime must stop it
 *   when its output exceeds the output limit.
 *
 * Build:  clang --target=wasm32-wasi -O2 flood.c -o flood.wasm
 */
#include <stdio.h>
#include <string.h>

static char block[64 * 1024];

int main(void) {
    memset(block, 'x', sizeof block);
    FILE *f = fopen("/out/big.bin", "w");
    if (f == NULL) {
        perror("flood: /out/big.bin");
        return 4;
    }
    printf("flood: writing forever\n");
    fflush(stdout);
    for (;;) {
        fwrite(block, 1, sizeof block, f);
        fflush(f);
    }
}
