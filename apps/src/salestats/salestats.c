/*
 * salestats: confidential-data example app for gridchain (docs/CONFIDENTIALITY.md).
 *
 * Usage:  salestats            (no arguments)
 *   Reads every regular file directly under /in, in name order (a sealed dataset arrives there already opened by
 *   the worker), each line "label,amount" with an integer amount (other lines are skipped), and writes to
 *   /out/result.txt:
 *     rows R
 *     total T
 *     requester secret API_KEY: N bytes, fnv1a XXXXXXXX     (or "requester secret API_KEY: none")
 *     app secret LICENSE: N bytes, fnv1a XXXXXXXX           (or "app secret LICENSE: none")
 *     arg A                                                 (one line per argument, if any)
 *   The secrets come from the environment (GRIDCHAIN_SECRET_API_KEY, GRIDCHAIN_APP_SECRET_LICENSE): the app proves
 *   it read them without writing them out. Prints "rows: R" to stdout.
 *   Exit codes: 0 ok, 4 I/O error.
 *
 * Build:  clang --target=wasm32-wasi -O2 salestats.c -o salestats.wasm
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long rows;
static long long total;

static void die(const char *msg) {
    fprintf(stderr, "salestats: %s\n", msg);
    exit(4);
}

static void line(char *s) {
    char *comma = strrchr(s, ',');
    if (!comma) return;
    char *end;
    long long amount = strtoll(comma + 1, &end, 10);
    if (end == comma + 1) return;
    while (*end == '\r' || *end == ' ') end++;
    if (*end != '\0' && *end != '\n') return;
    rows++;
    total += amount;
}

static void read_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) die("cannot open an input");
    char buf[4096];
    while (fgets(buf, sizeof buf, f)) line(buf);
    fclose(f);
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static void describe(FILE *out, const char *label, const char *var) {
    const char *v = getenv(var);
    if (!v) {
        fprintf(out, "%s: none\n", label);
        return;
    }
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *) v; *p; p++) h = (h ^ *p) * 16777619u;
    fprintf(out, "%s: %zu bytes, fnv1a %08x\n", label, strlen(v), (unsigned) h);
}

int main(int argc, char **argv) {
    char *names[1024];
    size_t n = 0;
    DIR *d = opendir("/in");
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) && n < 1024) {
            if (e->d_name[0] == '.') continue;
            names[n] = strdup(e->d_name);
            if (!names[n]) die("out of memory");
            n++;
        }
        closedir(d);
    }
    qsort(names, n, sizeof *names, by_name);
    char path[1100];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "/in/%s", names[i]);
        read_file(path);
    }
    FILE *out = fopen("/out/result.txt", "w");
    if (!out) die("cannot write /out/result.txt");
    fprintf(out, "rows %ld\ntotal %lld\n", rows, total);
    describe(out, "requester secret API_KEY", "GRIDCHAIN_SECRET_API_KEY");
    describe(out, "app secret LICENSE", "GRIDCHAIN_APP_SECRET_LICENSE");
    for (int i = 1; i < argc; i++) fprintf(out, "arg %s\n", argv[i]);
    if (fclose(out) != 0) die("cannot write /out/result.txt");
    printf("rows: %ld\n", rows);
    return 0;
}
