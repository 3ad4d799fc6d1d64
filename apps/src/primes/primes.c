/*
 * primes: CPU-bound example app for gridchain.
 *
 * Usage:  primes N
 *   Counts the primes strictly below N (sieve of Eratosthenes, N <= 200,000,000)
 *   and writes "primes below N: K\n" to /out/result.txt and to stdout.
 *   Exit codes: 0 ok, 2 bad usage, 3 out of memory, 4 cannot write /out/result.txt.
 *
 * Build:  clang --target=wasm32-wasi -O2 primes.c -o primes.wasm
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: primes N\n");
        return 2;
    }
    char *end = NULL;
    long long n = strtoll(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || n < 0 || n > 200000000LL) {
        fprintf(stderr, "primes: N must be an integer in [0, 200000000], got '%s'\n", argv[1]);
        return 2;
    }
    long long count = 0;
    if (n > 2) {
        unsigned char *composite = calloc((size_t) n, 1);
        if (composite == NULL) {
            fprintf(stderr, "primes: out of memory for N=%lld\n", n);
            return 3;
        }
        for (long long i = 2; i < n; i++) {
            if (!composite[i]) {
                count++;
                for (long long j = i * i; j < n; j += i) {
                    composite[j] = 1;
                }
            }
        }
        free(composite);
    }
    printf("primes below %lld: %lld\n", n, count);
    FILE *f = fopen("/out/result.txt", "w");
    if (f == NULL) {
        perror("primes: cannot open /out/result.txt");
        return 4;
    }
    fprintf(f, "primes below %lld: %lld\n", n, count);
    if (fclose(f) != 0) {
        perror("primes: cannot write /out/result.txt");
        return 4;
    }
    return 0;
}
