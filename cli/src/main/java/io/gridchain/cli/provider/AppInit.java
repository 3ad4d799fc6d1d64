package io.gridchain.cli.provider;

import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gridchain app init}: a working app skeleton in C that builds and runs on the first try. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {"Write a working app skeleton into NAME/: NAME.c (reads its arguments, its place",
            "in the bag and /in, writes /out/result.txt), build.sh (clang for wasm32-wasi, as",
            "this project installs it), input.txt and a README with the next steps. Then:",
            "./build.sh and `gridchain app test NAME.wasm --input input.txt` (docs/APPS.md)."},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain app init hello", "  gridchain app init render --dir ~/apps --json"})
public final class AppInit implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The app's name: lower case letters, digits, - and _.")
    String name;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to create NAME/ (default: the current directory).")
    Path dir = Path.of(".");

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!name.matches("[a-z][a-z0-9_-]{0,31}")) {
            throw UserError.usage("NAME must be lower case letters, digits, - and _, starting with a letter (at most 32),"
                    + " got " + name);
        }
        Path target = dir.resolve(name).toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw UserError.usage(target + " already exists: choose another NAME or --dir");
        }
        Files.createDirectories(target);
        Files.writeString(target.resolve(name + ".c"), source());
        Path build = Files.writeString(target.resolve("build.sh"), buildScript());
        try {
            Files.setPosixFilePermissions(build, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException notPosix) {
            // run it with `bash build.sh`
        }
        Files.writeString(target.resolve("input.txt"), "the first line of the input\nand its second line\n");
        Files.writeString(target.resolve("README.md"), readme());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("app", target.toString());
        out.put("files", List.of(name + ".c", "build.sh", "input.txt", "README.md"));
        out.put("next", "cd " + target + " && ./build.sh && gridchain app test " + name + ".wasm --args hello"
                + " --input input.txt");
        if (json) {
            Json.print(out);
        } else {
            out.forEach((k, v) -> System.out.println(String.format("%-5s : %s", k, v)));
        }
        return 0;
    }

    private String source() {
        return """
                /*
                 * NAME: a gridchain app (docs/APPS.md).
                 *
                 * Reads its arguments, its place in the bag (GRIDCHAIN_TASK_INDEX of GRIDCHAIN_BAG_SIZE) and every file
                 * under /in, and writes its result to /out/result.txt. Everything under /out is the result, and its
                 * digest is what the workers agree on; stdout and stderr are logs. Exit 0 on success: any other exit
                 * code is a failure every worker reproduces, certified as such.
                 *
                 * Build:  ./build.sh
                 * Test:   gridchain app test NAME.wasm --args hello --input input.txt --replicas 3
                 */
                #include <dirent.h>
                #include <stdio.h>
                #include <stdlib.h>

                int main(int argc, char **argv) {
                    const char *index = getenv("GRIDCHAIN_TASK_INDEX");
                    const char *size = getenv("GRIDCHAIN_BAG_SIZE");
                    FILE *out = fopen("/out/result.txt", "w");
                    if (!out) {
                        fprintf(stderr, "NAME: cannot write /out/result.txt\\n");
                        return 4;
                    }
                    fprintf(out, "task %s of %s\\n", index ? index : "0", size ? size : "1");
                    for (int i = 1; i < argc; i++) fprintf(out, "argument %d: %s\\n", i, argv[i]);

                    /* Files under /in come in no particular order: combine them so that order does not matter. */
                    long files = 0, lines = 0, bytes = 0;
                    DIR *in = opendir("/in");
                    if (in) {
                        struct dirent *e;
                        char path[1024];
                        while ((e = readdir(in))) {
                            if (e->d_name[0] == '.') continue;
                            snprintf(path, sizeof path, "/in/%s", e->d_name);
                            FILE *f = fopen(path, "rb");
                            if (!f) {
                                fprintf(stderr, "NAME: cannot read %s\\n", path);
                                return 4;
                            }
                            files++;
                            for (int c; (c = fgetc(f)) != EOF; bytes++) {
                                if (c == '\\n') lines++;
                            }
                            fclose(f);
                        }
                        closedir(in);
                    }
                    fprintf(out, "inputs: %ld file(s), %ld line(s), %ld byte(s)\\n", files, lines, bytes);
                    if (fclose(out) != 0) {
                        fprintf(stderr, "NAME: cannot write /out/result.txt\\n");
                        return 4;
                    }
                    printf("NAME: wrote /out/result.txt\\n");
                    return 0;
                }
                """.replace("NAME", name);
    }

    private String buildScript() {
        return """
                #!/usr/bin/env bash
                # Builds NAME.wasm (wasm32-wasi) with Debian's clang and wasi-libc (docs/APPS.md).
                set -euo pipefail
                cd "$(dirname "$0")"
                CC="${WASI_CC:-clang}"
                if ! command -v "$CC" >/dev/null 2>&1; then
                  echo "clang not found: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32" >&2
                  exit 1
                fi
                "$CC" --target=wasm32-wasi -O2 -Wall -Werror NAME.c -o NAME.wasm
                echo "built NAME.wasm ($(wc -c < NAME.wasm) bytes)"
                """.replace("NAME", name);
    }

    private String readme() {
        return """
                # NAME

                A gridchain app. What an app may rely on (arguments, environment, /in, /out, limits, exit codes) is in
                gridchain's docs/APPS.md.

                ```sh
                ./build.sh                                                    # NAME.wasm
                gridchain app test NAME.wasm --args hello --input input.txt   # as a worker runs it
                gridchain app test NAME.wasm --replicas 3                     # do replicas agree?
                gridchain app publish NAME.wasm --uri https://host/NAME.wasm  # where workers can fetch it
                gridchain order publish app 0xAPP --price 1 --volume 1000
                gridchain run 0xAPP --args hello --watch --download ./results
                ```
                """.replace("NAME", name);
    }
}
