/*
 * mandel: CPU-bound example app for gridchain (floating point, no memory traffic).
 *
 * Usage:  mandel N
 *   Iterates z = z^2 + c (at most 1000 times) for every c on an N x N grid over [-2, 0.5] x [-1.25, 1.25]
 *   and writes "mandelbrot NxN: K iterations, M inside\n" to /out/result.txt and to stdout (1 <= N <= 20,000).
 *   Exit codes: 0 ok, 2 bad usage, 4 cannot write /out/result.txt.
 *
 * Build:  clang --target=wasm32-wasi -O2 mandel.c -o mandel.wasm
 */
#include <stdio.h>
#include <stdlib.h>

#define MAX_ITER 1000

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: mandel N\n");
        return 2;
    }
    char *end = NULL;
    long n = strtol(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || n < 1 || n > 20000) {
        fprintf(stderr, "mandel: N must be an integer in [1, 20000], got '%s'\n", argv[1]);
        return 2;
    }
    unsigned long long total = 0;
    long inside = 0;
    for (long y = 0; y < n; y++) {
        double ci = -1.25 + 2.5 * (double) y / (double) n;
        for (long x = 0; x < n; x++) {
            double cr = -2.0 + 2.5 * (double) x / (double) n;
            double zr = 0.0, zi = 0.0;
            int i = 0;
            while (i < MAX_ITER && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                i++;
            }
            total += (unsigned long long) i;
            if (i == MAX_ITER) {
                inside++;
            }
        }
    }
    printf("mandelbrot %ldx%ld: %llu iterations, %ld inside\n", n, n, total, inside);
    FILE *f = fopen("/out/result.txt", "w");
    if (f == NULL) {
        perror("mandel: cannot open /out/result.txt");
        return 4;
    }
    fprintf(f, "mandelbrot %ldx%ld: %llu iterations, %ld inside\n", n, n, total, inside);
    if (fclose(f) != 0) {
        perror("mandel: cannot write /out/result.txt");
        return 4;
    }
    return 0;
}
