package io.gridchain.cli.provider;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.protocol.GridClient;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code gridchain app init|test|publish}: write, test and register WebAssembly apps. */
@Command(
        name = "app",
        mixinStandardHelpOptions = true,
        description = {"Write, test and publish apps: WebAssembly modules that workers run.",
            "",
            "`app init` writes a skeleton in C, `app test` runs a module exactly as a worker",
            "does, and `app publish` registers it on-chain with its name, URI and sha256.",
            "What an app may rely on is in docs/APPS.md."},
        subcommands = {AppInit.class, AppTest.class, AppCommand.Publish.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain app init hello", "  gridchain app test hello/hello.wasm --replicas 3",
            "  gridchain app publish primes.wasm",
            "  gridchain app publish primes.wasm --uri https://example.org/primes.wasm"})
public final class AppCommand extends GroupCommand {
    private static final byte[] WASM_MAGIC = {0x00, 0x61, 0x73, 0x6d};

    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description = {
                "Register FILE.wasm as an app owned by the wallet; print its address.",
                "",
                "On-chain: its name, the URI workers download it from and the sha256 of",
                "its bytes, which workers check before running it. The default URI is",
                "file://<absolute path>, which only workers on this machine can fetch:",
                "put the module where workers can reach it and pass --uri."
            },
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain app init hello", "  gridchain app test hello/hello.wasm --replicas 3",
            "  gridchain app publish primes.wasm",
                "  gridchain app publish primes.wasm --uri https://example.org/primes.wasm",
                "  gridchain app publish hello/hello.wasm --upload",
                "  gridchain app publish primes.wasm --name primes-v2 --json"})
    public static final class Publish implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "FILE.wasm", description = "The WebAssembly module.")
        String file;

        @Option(names = "--name", paramLabel = "N", description = "App name (default: the file name without .wasm).")
        String name;

        @Option(names = "--uri", paramLabel = "URI",
                description = "Where workers download the module (default: file://<absolute path>).")
        String uri;

        @Option(names = "--upload", description = "Put the module in the network's content-addressed store (the"
                + " order book's) and register its URL there: no server of your own needed.")
        boolean upload;

        @Override
        public Integer call() {
            Sources.Content module = Sources.file(file);
            if (module.bytes().length < 8 || !Arrays.equals(Arrays.copyOf(module.bytes(), 4), WASM_MAGIC)) {
                throw UserError.usage(module.uri().replaceFirst("^file:(//)?", "")
                        + " is not a WebAssembly module (no \\0asm header)");
            }
            String appName = name != null ? name : module.name();
            if (appName.isBlank()) throw UserError.usage("--name must not be empty");
            if (upload && uri != null) throw UserError.usage("--upload and --uri are two ways to say where workers"
                    + " fetch the module: pass one");
            String checksum = module.checksum();
            try (Context ctx = options.context()) {
                String appUri = upload ? Sources.upload(ctx, module.bytes()) : uri != null ? uri : module.uri();
                GridClient me = ctx.client();
                String app = me.createApp(appName, "wasm", appUri, checksum);
                if (uri == null && !upload) {
                    System.err.println("note: the app's URI is " + appUri + ": only workers on this machine can fetch it;"
                            + " pass --uri with a URL workers can reach");
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("app", app);
                out.put("name", appName);
                out.put("kind", "wasm");
                out.put("uri", appUri);
                out.put("checksum", checksum);
                out.put("size", module.bytes().length);
                out.put("owner", me.address());
                Provider.print(options, out);
                return 0;
            }
        }
    }
}
