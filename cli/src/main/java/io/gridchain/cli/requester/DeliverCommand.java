package io.gridchain.cli.requester;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridchain.api.Delivery;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Json;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deal deliver}: names (or replaces) where a deal's certified results also go. */
@Command(name = "deliver", mixinStandardHelpOptions = true,
        description = {"Also put each certified result of DEAL in your own storage: an S3-compatible bucket, as",
            "PREFIX/TASK/result.zip, or an HTTP PUT to a URL where {task}, {index} and {digest} become the task's",
            "id, index and certified digest. Tasks certified already go too; a new target replaces the old one.",
            "The pool's scheduler does the uploads and keeps the bucket's credentials: give it a key that may only",
            "write under the prefix (docs/SECURITY.md). S3 credentials come from AWS_ACCESS_KEY_ID and",
            "AWS_SECRET_ACCESS_KEY, or --credentials FILE. `task show` tells how each delivery went; a failed one",
            "leaves the result downloadable from the pool."},
        footerHeading = "%n", footer = {"Examples:", "  gridchain deal deliver 0xDEAL --to s3://my-bucket/runs/42",
            "  gridchain deal deliver 0xDEAL --to s3://results/run1 --endpoint http://127.0.0.1:9000",
            "  gridchain deal deliver 0xDEAL --to 'https://example.org/upload/{task}'"})
final class DeliverCommand implements Callable<Integer> {
    @Mixin ChainOptions chain;

    @Parameters(paramLabel = "DEAL", description = "The deal id.")
    String dealId;

    @Option(names = "--to", required = true, paramLabel = "TARGET",
            description = "s3://BUCKET/PREFIX, or an http(s) URL holding {task}, {index} or {digest}.")
    String to;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "An S3-compatible server other than AWS (path-style addressing).")
    String endpoint;

    @Option(names = "--region", paramLabel = "REGION", description = "The bucket's region (default: us-east-1).")
    String region;

    @Option(names = "--credentials", paramLabel = "FILE",
            description = "A file of AWS_ACCESS_KEY_ID=… and AWS_SECRET_ACCESS_KEY=… lines (default: the environment).")
    Path credentials;

    @Override
    public Integer call() {
        Delivery.Target target = DeliveryClient.target(to, endpoint, region, credentials, System.getenv());
        try (Context ctx = chain.context()) {
            GridClient me = ctx.client();
            DealRecord deal = Services.deal(me, TaskCommand.bytes32("DEAL", dealId));
            JsonNode answer = DeliveryClient.register(ctx, Services.scheduler(ctx, me, deal).url(), deal, target);
            if (chain.json()) {
                Json.print(answer);
            } else {
                System.out.println("deal " + deal.dealId() + ": certified results now also go to "
                        + answer.path("target").asText() + " (" + answer.path("queued").asInt()
                        + " certified so far queued); `gridchain task show TASK` tells how each went");
            }
            return 0;
        }
    }
}
