/*
 * wordfreq: file-in / file-out example app for gridchain.
 *
 * Usage:  wordfreq            (no arguments)
 *   Reads every regular file directly under /in (the dataset and/or downloaded input files,
 *   in name order), splits the text into words (maximal runs of ASCII letters, digits and
 *   apostrophes, lower-cased) and writes the 20 most frequent words to /out/result.txt,
 *   one "word count" line each, sorted by count descending, then word ascending (byte order).
 *   Also prints "words: W distinct: D" to stdout.
 *   Exit codes: 0 ok, 3 out of memory, 4 I/O error.
 *
 * Build:  clang --target=wasm32-wasi -O2 wordfreq.c -o wordfreq.wasm
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP 20
#define MAX_WORD 256

typedef struct entry {
    char *word;
    long count;
    struct entry *next;
} entry;

static entry **table;
static size_t table_size = 1 << 16;
static size_t distinct;
static long total;

static void die(const char *msg, int code) {
    fprintf(stderr, "wordfreq: %s\n", msg);
    exit(code);
}

static unsigned long hash(const char *s) {
    unsigned long h = 5381;
    while (*s) h = h * 33u + (unsigned char) *s++;
    return h;
}

static void add_word(const char *w) {
    unsigned long h = hash(w) & (table_size - 1);
    for (entry *e = table[h]; e; e = e->next) {
        if (strcmp(e->word, w) == 0) {
            e->count++;
            total++;
            return;
        }
    }
    entry *e = malloc(sizeof *e);
    if (!e || !(e->word = strdup(w))) die("out of memory", 3);
    e->count = 1;
    e->next = table[h];
    table[h] = e;
    distinct++;
    total++;
}

static int is_word_char(int c) {
    return isalnum(c) || c == '\'';
}

static void count_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(4);
    }
    char word[MAX_WORD];
    size_t len = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (c < 128 && is_word_char(c)) {
            if (len < MAX_WORD - 1) word[len++] = (char) tolower(c);
        } else if (len > 0) {
            word[len] = '\0';
            add_word(word);
            len = 0;
        }
    }
    if (len > 0) {
        word[len] = '\0';
        add_word(word);
    }
    fclose(f);
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static int by_count_then_word(const void *a, const void *b) {
    const entry *x = *(entry *const *) a, *y = *(entry *const *) b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->word, y->word);
}

int main(void) {
    table = calloc(table_size, sizeof *table);
    if (!table) die("out of memory", 3);

    DIR *dir = opendir("/in");
    if (!dir) {
        perror("/in");
        return 4;
    }
    size_t nfiles = 0, cap = 16;
    char **names = malloc(cap * sizeof *names);
    if (!names) die("out of memory", 3);
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_type != DT_REG) continue;
        if (nfiles == cap) {
            cap *= 2;
            names = realloc(names, cap * sizeof *names);
            if (!names) die("out of memory", 3);
        }
        names[nfiles++] = strdup(de->d_name);
    }
    closedir(dir);
    qsort(names, nfiles, sizeof *names, by_name);
    for (size_t i = 0; i < nfiles; i++) {
        char path[1024];
        snprintf(path, sizeof path, "/in/%s", names[i]);
        count_file(path);
    }

    entry **all = malloc((distinct ? distinct : 1) * sizeof *all);
    if (!all) die("out of memory", 3);
    size_t k = 0;
    for (size_t i = 0; i < table_size; i++)
        for (entry *e = table[i]; e; e = e->next) all[k++] = e;
    qsort(all, distinct, sizeof *all, by_count_then_word);

    FILE *out = fopen("/out/result.txt", "w");
    if (!out) {
        perror("/out/result.txt");
        return 4;
    }
    for (size_t i = 0; i < distinct && i < TOP; i++) fprintf(out, "%s %ld\n", all[i]->word, all[i]->count);
    if (fclose(out) != 0) {
        perror("/out/result.txt");
        return 4;
    }
    printf("words: %ld distinct: %zu\n", total, distinct);
    return 0;
}
