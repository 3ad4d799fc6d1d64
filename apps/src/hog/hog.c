/*
 * hog: fault app for runtime tests. Allocates memory until allocation fails.
 *
 * Usage:  hog [CHUNK_KIB]   (default 1024)
 *   Mallocs CHUNK_KIB KiB at a time, touching every page, until malloc returns NULL;
 *   then reports the total on stderr and aborts (exit through a trap), like a program that
 *   cannot cope with running out of memory.
 *
 * Build:  clang --target=wasm32-wasi -O2 hog.c -o hog.wasm
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    size_t chunk = (argc > 1 ? (size_t) atol(argv[1]) : 1024) * 1024;
    if (chunk == 0) chunk = 1024 * 1024;
    size_t total = 0;
    for (;;) {
        volatile char *p = malloc(chunk);
        if (p == NULL) {
            fprintf(stderr, "hog: malloc failed after %zu KiB\n", total / 1024);
            abort();
        }
        for (size_t i = 0; i < chunk; i += 4096) p[i] = (char) i;
        total += chunk;
    }
}
