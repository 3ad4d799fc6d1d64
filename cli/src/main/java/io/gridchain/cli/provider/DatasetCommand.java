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
            "A dataset is registered on-chain with its name, URI and sha256."},
        subcommands = {DatasetCommand.Publish.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain dataset publish https://example.org/words.txt --name words"})
public final class DatasetCommand extends GroupCommand {

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

        @Override
        public Integer call() {
            boolean url = Sources.isUrl(source);
            if (url && System.console() != null) System.err.println("[dataset] downloading " + source);
            Sources.Content data = url ? Sources.download(source) : Sources.file(source);
            String dsName = name != null ? name : data.name();
            if (dsName.isBlank()) throw UserError.usage("--name must not be empty");
            String dsUri = uri != null ? uri : data.uri();
            String checksum = data.checksum();
            try (Context ctx = options.context()) {
                GridClient me = ctx.client();
                String dataset = me.createDataset(dsName, dsUri, checksum);
                if (!url && uri == null) {
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
                Provider.print(options, out);
                return 0;
            }
        }
    }
}
