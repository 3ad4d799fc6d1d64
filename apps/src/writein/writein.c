/*
 * writein: sandbox probe for runtime tests. Tries to modify the read-only input directory.
 *
 * Usage:  writein
 *   Attempts to create /in/new.txt, open /in/data.txt for writing and appending, create the
 *   directory /in/dir, delete /in/data.txt, rename it, and symlink into /in. Prints one
 *   "<operation>: ok" or "<operation>: denied (<errno text>)" line per attempt to stdout and the
 *   same report to /out/report.txt. Exit code: number of attempts that succeeded (0 = sandbox ok).
 *
 * Build:  clang --target=wasm32-wasi -O2 writein.c -o writein.wasm
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int succeeded;
static char report[4096];
static size_t used;

static void note(const char *op, int ok) {
    int n;
    if (ok) {
        succeeded++;
        n = snprintf(report + used, sizeof report - used, "%s: ok\n", op);
    } else {
        n = snprintf(report + used, sizeof report - used, "%s: denied (%s)\n", op, strerror(errno));
    }
    if (n > 0 && (size_t) n < sizeof report - used) used += (size_t) n;
}

static int try_open(const char *path, int flags) {
    int fd = open(path, flags, 0644);
    if (fd < 0) return 0;
    ssize_t w = write(fd, "x", 1);
    close(fd);
    return w == 1;
}

int main(void) {
    note("create /in/new.txt", try_open("/in/new.txt", O_WRONLY | O_CREAT | O_TRUNC));
    note("write /in/data.txt", try_open("/in/data.txt", O_WRONLY));
    note("append /in/data.txt", try_open("/in/data.txt", O_WRONLY | O_APPEND));
    note("truncate /in/data.txt", try_open("/in/data.txt", O_RDONLY | O_TRUNC) || truncate("/in/data.txt", 0) == 0);
    note("mkdir /in/dir", mkdir("/in/dir", 0755) == 0);
    note("unlink /in/data.txt", unlink("/in/data.txt") == 0);
    note("rename /in/data.txt", rename("/in/data.txt", "/out/stolen.txt") == 0);
    note("symlink /out/link", symlink("/in/data.txt", "/out/link") == 0);
    fputs(report, stdout);
    FILE *f = fopen("/out/report.txt", "w");
    if (f) {
        fputs(report, f);
        fclose(f);
    }
    return succeeded;
}
