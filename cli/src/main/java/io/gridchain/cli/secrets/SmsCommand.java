package io.gridchain.cli.secrets;

import io.gridchain.api.sms.Signatures;
import io.gridchain.api.sms.SmsApi;
import io.gridchain.api.sms.SmsClient;
import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Json;
import io.gridchain.cli.provider.Provider;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gridchain sms ...}: run a secret management service, and push keys, secrets and policies to one. */
@Command(
        name = "sms",
        mixinStandardHelpOptions = true,
        description = {"Keep dataset keys and secrets where only authorized tasks get them.",
            "",
            "A secret management service (SMS) holds dataset keys, app secrets and requester",
            "secrets, and releases them only to a worker running a task of an active on-chain",
            "deal that includes them, sent by the deal's pool, within its owner's policy.",
            "Each owner names its service on-chain (`sms set-url`). docs/CONFIDENTIALITY.md."},
        subcommands = {SmsStart.class, SmsCommand.SetUrl.class, SmsCommand.PushKey.class,
            SmsCommand.PushSecret.class, SmsCommand.Policy.class, SmsCommand.Log.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain sms start --port 8090 --bind 0.0.0.0",
            "  gridchain sms set-url http://203.0.113.9:8090",
            "  gridchain sms push-key 0xDATASET",
            "  gridchain sms policy --dataset 0xDATASET --pools 0xPOOL --apps 0xAPP --allowlisted-workers",
            "  gridchain sms log"})
public final class SmsCommand extends GroupCommand {

    @Command(
            name = "set-url",
            mixinStandardHelpOptions = true,
            description = {"Name on-chain the service that holds your secrets: the keys of your datasets,",
                "the secrets of your apps, your secrets as a requester. Schedulers tell their",
                "workers to ask it. An empty URL (\"\") withdraws it."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain sms set-url http://203.0.113.9:8090",
                "  gridchain sms set-url https://sms.example.org --wallet owner.json"})
    public static final class SetUrl implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "URL", description = "The service's base URL.")
        String url;

        @Override
        public Integer call() {
            String checked = url.isEmpty() ? "" : SmsRequests.httpUrl(url);
            if (checked.getBytes(StandardCharsets.UTF_8).length > 256) {
                throw UserError.usage("URL is longer than the 256 bytes the chain keeps");
            }
            try (Context ctx = options.context()) {
                GridClient me = ctx.client();
                var tx = me.setSmsUrl(checked);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("account", me.address());
                out.put("sms", checked.isEmpty() ? "(none)" : checked);
                out.put("transaction", tx.hash());
                Provider.print(options, out);
                return 0;
            }
        }
    }

    @Command(
            name = "push-key",
            mixinStandardHelpOptions = true,
            description = {"Push the key of a dataset you sealed with `dataset encrypt` to your service.",
                "The key is found in your keystore by the dataset's on-chain checksum, and sent",
                "sealed to the service's own key."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain sms push-key 0xDATASET",
                "  gridchain sms push-key 0xDATASET --sms http://127.0.0.1:8090"})
    public static final class PushKey implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "DATASET", description = "The dataset's address.")
        String dataset;

        @Mixin SmsRequests.Target target;

        @Override
        public Integer call() {
            String address = SmsRequests.address(dataset, "DATASET");
            try (Context ctx = options.context()) {
                GridClient me = ctx.client();
                String checksum;
                try {
                    checksum = Words.hex(GridClient.call(() -> me.datasets().datasetOf(address).send()).checksum);
                } catch (RuntimeException e) {
                    throw UserError.failure("dataset " + address + " is not registered on this chain: check the"
                            + " address and the profile");
                }
                DatasetKeys keys = new DatasetKeys(ctx.settings().dataDir());
                byte[] key = keys.load(checksum).orElseThrow(() -> UserError.failure("no key for dataset " + address
                        + " in " + keys.file(checksum).getParent() + ": only the machine that ran `gridchain dataset"
                        + " encrypt` for it holds one"));
                String url = target.resolve(me);
                Map<String, Object> out = SmsRequests.push(ctx, me, url, SmsApi.Kind.DATASET, address, SmsApi.DATASET_KEY,
                        HexFormat.of().formatHex(key).getBytes(StandardCharsets.UTF_8));
                out.put("dataset", address);
                Provider.print(options, out);
                return 0;
            }
        }
    }

    @Command(
            name = "push-secret",
            mixinStandardHelpOptions = true,
            description = {"Push a secret the app reads as an environment variable: yours as a requester",
                "(GRIDCHAIN_SECRET_<NAME>, for runs that name it: `run --secret NAME`), or, with",
                "--app, your app's (GRIDCHAIN_APP_SECRET_<NAME>, in every task of the app).",
                "The value is read from a file or an environment variable, never from the",
                "command line, and sent sealed to the service's key."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain sms push-secret API_KEY --value-env MY_API_KEY",
                "  gridchain sms push-secret LICENSE --app 0xAPP --value-file license.txt"})
    public static final class PushSecret implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "NAME", description = "Upper case letters, digits and _.")
        String name;

        @Option(names = "--app", paramLabel = "APP", description = "Push it as this app's secret (you own the app).")
        String app;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Value value;

        static final class Value {
            @Option(names = "--value-file", paramLabel = "FILE", description = "Read the value from FILE.")
            Path file;

            @Option(names = "--value-env", paramLabel = "VAR", description = "Read the value from environment variable VAR.")
            String env;
        }

        @Override
        public Integer call() {
            if (!SmsApi.NAME.matcher(name).matches()) {
                throw UserError.usage("NAME must be upper case letters, digits and _, starting with a letter (at most"
                        + " 64), got " + name);
            }
            byte[] bytes = read(value);
            try (Context ctx = options.context()) {
                GridClient me = ctx.client();
                String subject = app == null ? me.address() : SmsRequests.address(app, "--app");
                SmsApi.Kind kind = app == null ? SmsApi.Kind.REQUESTER : SmsApi.Kind.APP;
                Map<String, Object> out = SmsRequests.push(ctx, me, target.resolve(me), kind, subject, name, bytes);
                out.put("name", name);
                out.put("env", (app == null ? SmsApi.REQUESTER_ENV : SmsApi.APP_ENV) + name);
                Provider.print(options, out);
                return 0;
            }
        }

        @Mixin SmsRequests.Target target;

        private static byte[] read(Value v) {
            if (v.file != null) {
                try {
                    return Files.readAllBytes(v.file);
                } catch (IOException e) {
                    throw UserError.usage("cannot read --value-file " + v.file + ": " + e.getMessage());
                }
            }
            String env = System.getenv(v.env);
            if (env == null) throw UserError.usage("environment variable " + v.env + " is not set");
            return env.getBytes(StandardCharsets.UTF_8);
        }
    }

    @Command(
            name = "policy",
            mixinStandardHelpOptions = true,
            description = {"Set who may receive a dataset's key, an app's secrets or your secrets, on top",
                "of what your orders already restrict: only these pools, apps or requesters, and",
                "with --allowlisted-workers only workers on the pool's on-chain allowlist.",
                "Each call replaces the previous policy; no option at all opens it again."},
            footerHeading = "%n",
            footer = {"Examples:",
                "  gridchain sms policy --dataset 0xDATASET --pools 0xPOOL --apps 0xAPP --allowlisted-workers",
                "  gridchain sms policy --app 0xAPP --requesters 0xALICE,0xBOB",
                "  gridchain sms policy --requester --pools 0xPOOL"})
    public static final class Policy implements Callable<Integer> {
        @Mixin ChainOptions options;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Subject subject;

        static final class Subject {
            @Option(names = "--dataset", paramLabel = "DATASET", description = "The policy of your dataset's key.")
            String dataset;

            @Option(names = "--app", paramLabel = "APP", description = "The policy of your app's secrets.")
            String app;

            @Option(names = "--requester", description = "The policy of your secrets as a requester.")
            boolean requester;
        }

        @Option(names = "--pools", split = ",", paramLabel = "POOL", description = "Only these workerpools.")
        List<String> pools = new ArrayList<>();

        @Option(names = "--apps", split = ",", paramLabel = "APP", description = "Only these apps.")
        List<String> apps = new ArrayList<>();

        @Option(names = "--requesters", split = ",", paramLabel = "ADDRESS", description = "Only these requesters.")
        List<String> requesters = new ArrayList<>();

        @Option(names = "--allowlisted-workers",
                description = "Only workers on the deal's pool's on-chain allowlist (`gridchain pool allow`).")
        boolean allowlisted;

        @Mixin SmsRequests.Target target;

        @Override
        public Integer call() {
            SmsApi.Policy policy = new SmsApi.Policy(SmsRequests.addresses(pools, "--pools"), SmsRequests.addresses(apps, "--apps"),
                    SmsRequests.addresses(requesters, "--requesters"), allowlisted);
            try (Context ctx = options.context()) {
                GridClient me = ctx.client();
                SmsApi.Kind kind = subject.dataset != null ? SmsApi.Kind.DATASET
                        : subject.app != null ? SmsApi.Kind.APP : SmsApi.Kind.REQUESTER;
                String address = subject.dataset != null ? SmsRequests.address(subject.dataset, "--dataset")
                        : subject.app != null ? SmsRequests.address(subject.app, "--app") : me.address();
                String url = target.resolve(me);
                SmsClient client = new SmsClient(null);
                SmsApi.Ack ack = SmsRequests.ask(url, () -> client.post(url, SmsApi.POLICIES, new SmsApi.PolicyPush(
                        client.info(url).address(), kind, address, policy, SmsRequests.now(), Signatures.nonce()),
                        ctx.credentials(), SmsApi.Ack.class));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("sms", url);
                out.put("result", ack.result());
                out.put("pools", policy.pools().isEmpty() ? "any" : String.join(",", policy.pools()));
                out.put("apps", policy.apps().isEmpty() ? "any" : String.join(",", policy.apps()));
                out.put("requesters", policy.requesters().isEmpty() ? "any" : String.join(",", policy.requesters()));
                out.put("allowlistedWorkers", policy.allowlistedWorkersOnly());
                Provider.print(options, out);
                return 0;
            }
        }
    }

    @Command(
            name = "log",
            mixinStandardHelpOptions = true,
            description = {"Show every release and refusal of your keys and secrets at your service: when,",
                "which task, which worker, and why a refusal was refused."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain sms log", "  gridchain sms log --after 120 --json"})
    public static final class Log implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--after", paramLabel = "ID", description = "Only entries after this one (default: all).")
        long after;

        @Mixin SmsRequests.Target target;

        @Override
        public Integer call() {
            try (Context ctx = options.context()) {
                GridClient me = ctx.client();
                String url = target.resolve(me);
                SmsClient client = new SmsClient(null);
                SmsApi.Log log = SmsRequests.ask(url, () -> client.post(url, SmsApi.LOG, new SmsApi.LogQuery(
                        client.info(url).address(), after, SmsRequests.now(), Signatures.nonce()), ctx.credentials(),
                        SmsApi.Log.class));
                if (options.json()) {
                    Json.print(Map.of("sms", url, "entries", log.entries()));
                    return 0;
                }
                if (log.entries().isEmpty()) System.out.println("no entries");
                for (SmsApi.LogEntry e : log.entries()) {
                    System.out.println(e.id() + "  " + Instant.ofEpochSecond(e.time()) + "  "
                            + (e.released() ? "RELEASED" : "REFUSED ") + "  " + e.kind().name().toLowerCase() + " "
                            + e.subject() + "  task " + e.taskIndex() + " of deal " + e.dealId() + "  worker "
                            + e.worker() + (e.reason() == null ? "" : "  " + e.reason()));
                }
                return 0;
            }
        }
    }
}
