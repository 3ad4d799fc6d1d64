package io.gridchain.cli.secrets;

import io.gridchain.api.sms.SmsApi;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.service.Foreground;
import io.gridchain.cli.service.Listen;
import io.gridchain.cli.service.ServeTls;
import io.gridchain.protocol.Protocol;
import io.gridchain.sms.SmsServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gridchain sms start}: the secret management service as a long-running process. */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description = {"Start a secret management service for the profile's chain; print its URL and",
            "address, and run until Ctrl-C. Its key and secrets are kept in DIR (sms.key,",
            "sms.db): a restart keeps every secret and log entry. Needs no wallet."},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain sms start --port 8090",
            "  gridchain sms start --bind 0.0.0.0 --port 8443 --tls-cert sms.pem --tls-key sms.key --data ./sms"})
public final class SmsStart implements Callable<Integer> {
    @Mixin ChainOptions options;

    @Option(names = "--data", paramLabel = "DIR", description = "Where the service keeps its key and store "
            + "(default: <config dir>/sms).")
    Path data;

    @Mixin Listen listen;

    @Mixin ServeTls tls;

    @Override
    public Integer call() throws Exception {
        int port = listen.port();
        SSLContext serverTls = tls.context();
        Context ctx = options.context();
        Protocol protocol = ctx.protocol();
        Path dir = data != null ? data.toAbsolutePath() : ctx.settings().dataDir().resolve("sms");
        SmsServer server;
        try {
            server = SmsServer.start(protocol, dir, listen.host(), port, serverTls);
        } catch (io.gridchain.protocol.chain.ChainBinding.MismatchException e) {
            ctx.close();
            throw UserError.failure(e.getMessage()); // already says what to do
        } catch (RuntimeException e) {
            ctx.close();
            throw listen.cannotStart("secret management service", e);
        }
        SmsApi.Info info = server.service().info();
        String host = listen.host().equals("0.0.0.0") ? "127.0.0.1" : listen.host();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sms", (serverTls == null ? "http://" : "https://") + host + ":" + server.port());
        out.put("address", info.address());
        out.put("publicKey", info.publicKey());
        out.put("data", dir.toString());
        out.put("hub", info.hub());
        return Foreground.run("sms", () -> {
            server.close();
            ctx.close();
        }, options, out);
    }
}
