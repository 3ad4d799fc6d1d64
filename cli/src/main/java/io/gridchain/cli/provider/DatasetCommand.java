package io.gridchain.cli.provider;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.protocol.GridClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code gridchain dataset publish}: register a dataset on-chain. */
@Command(
        name = "dataset",
        mixinStandardHelpOptions = true,
        description = {"Publish datasets: input files apps read.",
            "",
            "A dataset is registered on-chain with its name, URI and sha256. A private one is",
            "sealed first (`dataset encrypt`): only tasks its owner's secret service authorizes",
            "get its key (docs/CONFIDENTIALITY.md)."},
        subcommands = {DatasetCommand.Encrypt.class, DatasetCommand.Publish.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain dataset publish https://example.org/words.txt --name words",
            "  gridchain dataset encrypt customers.csv", "  gridchain dataset publish customers.csv.gcds --uri https://example.org/customers.csv.gcds"})
public final class DatasetCommand extends GroupCommand {

    @Command(
            name = "encrypt",
            mixinStandardHelpOptions = true,
            description = {
                "Seal FILE with a fresh key (AES-256-GCM, format in docs/CONFIDENTIALITY.md) into",
                "FILE.gcds, and keep the key in your keystore (<config dir>/dataset-keys/, owner",
                "only). Publish the sealed file (`dataset publish`), then push its key to your",
                "secret service (`sms push-key`). The plaintext never leaves this machine."
            },
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain dataset encrypt customers.csv",
                "  gridchain dataset encrypt customers.csv --out /srv/www/customers.gcds --json"})
    public static final class Encrypt implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "FILE", description = "The plaintext dataset.")
        java.nio.file.Path file;

        @Option(names = "--out", paramLabel = "FILE", description = "Where to write the sealed file (default: FILE.gcds).")
        java.nio.file.Path out;

        @Override
        public Integer call() {
            byte[] plain;
            try {
                plain = java.nio.file.Files.readAllBytes(file);
            } catch (java.io.IOException e) {
                throw UserError.usage("cannot read " + file + ": " + e.getMessage());
            }
            java.nio.file.Path target = out != null ? out : file.resolveSibling(file.getFileName() + ".gcds");
            byte[] key = io.gridchain.api.sms.DatasetSeal.newKey();
            byte[] sealed = io.gridchain.api.sms.DatasetSeal.seal(plain, key);
            String checksum = "0x" + io.gridchain.runtime.ResultDigest.sha256Hex(sealed);
            java.nio.file.Path keyFile;
            try (Context ctx = options.context()) {
                keyFile = new io.gridchain.cli.secrets.DatasetKeys(ctx.settings().dataDir()).save(checksum, key);
            }
            try {
                java.nio.file.Files.write(target, sealed);
            } catch (java.io.IOException e) {
                throw UserError.failure("cannot write " + target + ": " + e.getMessage());
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("sealed", target.toAbsolutePath().toString());
            result.put("checksum", checksum);
            result.put("size", sealed.length);
            result.put("key", keyFile.toString());
            result.put("next", "gridchain dataset publish " + target + " --uri URL; gridchain sms push-key DATASET");
            Provider.print(options, result);
            return 0;
        }
    }

    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description = {
                "Register a dataset owned by the wallet; print its address.",
                "",
                "The dataset is an http(s) URL, downloaded once to compute the sha256",
                "of its bytes that workers check, or a local FILE, whose URI",
                "file://<absolute path> only workers on this machine can fetch."
            },
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain dataset publish https://example.org/words.txt",
                "  gridchain dataset publish words.txt --name words --json"})
    public static final class Publish implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "FILE|URL", description = "The dataset: a local file or an http(s) URL.")
        String source;

        @Option(names = "--name", paramLabel = "N", description = "Dataset name (default: the file name).")
        String name;

        @Option(names = "--uri", paramLabel = "URI",
                description = "Where workers download a local FILE from (default: file://<absolute path>).")
        String uri;

        @Option(names = "--upload", description = "Put FILE in the network's content-addressed store (the order"
                + " book's) and register its URL there: no server of your own needed.")
        boolean upload;

        @Override
        public Integer call() {
            boolean url = Sources.isUrl(source);
            if (url && System.console() != null) System.err.println("[dataset] downloading " + source);
            Sources.Content data = url ? Sources.download(source) : Sources.file(source);
            String dsName = name != null ? name : data.name();
            if (dsName.isBlank()) throw UserError.usage("--name must not be empty");
            if (upload && uri != null) throw UserError.usage("--upload and --uri are two ways to say where workers"
                    + " fetch the dataset: pass one");
            String checksum = data.checksum();
            try (Context ctx = options.context()) {
                String dsUri = upload ? Sources.upload(ctx, data.bytes()) : uri != null ? uri : data.uri();
                GridClient me = ctx.client();
                String dataset = me.createDataset(dsName, dsUri, checksum);
                if (!url && uri == null && !upload) {
                    System.err.println("note: the dataset's URI is " + dsUri
                            + ": only workers on this machine can fetch it; pass --uri with a URL workers can reach");
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("dataset", dataset);
                out.put("name", dsName);
                out.put("uri", dsUri);
                out.put("checksum", checksum);
                out.put("size", data.bytes().length);
                out.put("owner", me.address());
                if (io.gridchain.api.sms.DatasetSeal.isSealed(data.bytes())) {
                    out.put("next", "sealed: push its key with `gridchain sms push-key " + dataset + "`");
                }
                Provider.print(options, out);
                return 0;
            }
        }
    }
}
