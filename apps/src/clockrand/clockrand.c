/*
 * clockrand: determinism probe for runtime tests.
 *
 * Usage:  clockrand
 *   Prints time(NULL), clock_gettime(CLOCK_REALTIME), clock_gettime(CLOCK_MONOTONIC),
 *   five rand() values seeded from getentropy, and 16 getentropy bytes in hex, to stdout and
 *   to /out/clockrand.txt. Two runs with the same runtime seed must print the same bytes.
 *
 * Build:  clang --target=wasm32-wasi -O2 clockrand.c -o clockrand.wasm
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void report(FILE *f) {
    struct timespec rt, mono;
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    fprintf(f, "time: %lld\n", (long long) time(NULL));
    fprintf(f, "realtime: %lld.%09ld\n", (long long) rt.tv_sec, rt.tv_nsec);
    fprintf(f, "monotonic: %lld.%09ld\n", (long long) mono.tv_sec, mono.tv_nsec);
    unsigned int seed = 0;
    if (getentropy(&seed, sizeof seed) != 0) {
        fprintf(f, "getentropy failed\n");
        return;
    }
    srand(seed);
    fprintf(f, "rand:");
    for (int i = 0; i < 5; i++) fprintf(f, " %d", rand());
    fprintf(f, "\n");
    unsigned char bytes[16];
    if (getentropy(bytes, sizeof bytes) != 0) {
        fprintf(f, "getentropy failed\n");
        return;
    }
    fprintf(f, "entropy: ");
    for (int i = 0; i < 16; i++) fprintf(f, "%02x", bytes[i]);
    fprintf(f, "\n");
}

int main(void) {
    report(stdout);
    FILE *f = fopen("/out/clockrand.txt", "w");
    if (f == NULL) {
        perror("clockrand: /out/clockrand.txt");
        return 4;
    }
    report(f);
    return fclose(f) == 0 ? 0 : 4;
}
