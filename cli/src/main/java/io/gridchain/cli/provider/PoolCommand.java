package io.gridchain.cli.provider;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.discovery.SchedulerLocator;
import io.gridchain.market.ChainView;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code gridchain pool create|set-api|show}: register a workerpool on-chain, publish its API, show its standing. */
@Command(
        name = "pool",
        mixinStandardHelpOptions = true,
        description = {"Create workerpools and show their standing.",
            "",
            "The wallet that owns a pool is its scheduler: it signs the pool's orders.",
            "It publishes where its scheduler answers (`pool set-api`): requesters and workers",
            "find the scheduler from the pool's address."},
        subcommands = {PoolCommand.Create.class, PoolCommand.SetApi.class, PoolCommand.Show.class,
            PoolCommand.Allow.class, PoolCommand.Disallow.class, PoolCommand.Allowlist.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain pool create --description \"my 3 workers\"",
            "  gridchain pool set-api 0xPOOL http://203.0.113.7:8082", "  gridchain pool show 0xPOOL",
            "  gridchain pool allow 0xPOOL 0xWORKER1,0xWORKER2", "  gridchain pool allowlist 0xPOOL on"})
public final class PoolCommand extends GroupCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Register a workerpool owned by the wallet; print its address.",
                "",
                "The pool gets the default policy: workers stake 30 %% of the pool price",
                "per contribution, the scheduler keeps 1 %%."
            },
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain pool create", "  gridchain pool create --description \"gpu-less pool\" --json"})
    public static final class Create implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--description", paramLabel = "D", description = "Free text (default: \"workerpool of <address>\").")
        String description;

        @Override
        public Integer call() {
            try (Context ctx = options.context()) {
                GridClient me = ctx.client();
                String text = description != null ? description : "workerpool of " + me.address();
                String pool = me.createWorkerpool(text);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("workerpool", pool);
                out.put("description", text);
                out.put("owner", me.address());
                Provider.print(options, out);
                return 0;
            }
        }
    }

    @Command(
            name = "set-api",
            mixinStandardHelpOptions = true,
            description = {
                "Publish on-chain the URL where the pool's scheduler answers (its owner only).",
                "`run`, `task show`, `result get` and `worker start --pool` find the scheduler",
                "there; GRIDCHAIN_SCHEDULER or the profile's \"scheduler\" override it. The URL must",
                "be http(s), reachable by requesters and workers, at most 256 bytes. An empty URL",
                "(\"\") withdraws it."
            },
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain pool set-api 0xPOOL http://203.0.113.7:8082",
                "  gridchain pool set-api 0xPOOL https://pool.example.org --wallet owner.json"})
    public static final class SetApi implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "POOL", description = "The workerpool's address.")
        String pool;

        @Parameters(index = "1", paramLabel = "URL", description = "The scheduler's base URL, e.g. http://host:8082.")
        String url;

        @Override
        public Integer call() {
            String address = address(pool);
            String checked = url.isEmpty() ? "" : SchedulerLocator.httpUrl("URL", url);
            int bytes = checked.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > SchedulerLocator.MAX_URL_BYTES) {
                throw UserError.usage("URL is " + bytes + " bytes long: the registry keeps at most "
                        + SchedulerLocator.MAX_URL_BYTES);
            }
            try (Context ctx = options.context()) {
                GridClient me = ctx.client();
                String owner = new ChainView(ctx.protocol()).poolStanding(address).owner();
                if (!me.address().equalsIgnoreCase(owner)) {
                    throw UserError.failure(Words.ZERO_ADDRESS.equalsIgnoreCase(owner)
                            ? "workerpool " + address + " is not registered on this chain: check the address and the"
                                    + " profile"
                            : "only the owner of workerpool " + address + " (" + owner + ") may set its API URL, not "
                                    + me.address() + ": use the owner's wallet (--wallet)");
                }
                var tx = me.setPoolApiUrl(address, checked);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("workerpool", address);
                out.put("api", checked.isEmpty() ? "(none)" : checked);
                out.put("transaction", tx.hash());
                Provider.print(options, out);
                return 0;
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Show a workerpool's standing on-chain: its owner, the owner's bond in its own",
                "pool, whether the owner asked for that bond back (leaving: the hub then refuses",
                "the pool's deals) and the owner's reputation (+1 per certified priced task, -10",
                "per refunded one). `gridchain run` chooses only pools meeting your minimums of",
                "these (docs/SECURITY.md). The description is the owner's own words.",
                "Needs no wallet."
            },
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain pool show 0xPOOL", "  gridchain pool show 0xPOOL --json"})
    public static final class Show implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "POOL", description = "The workerpool's address.")
        String pool;

        @Override
        public Integer call() {
            String address = address(pool);
            try (Context ctx = options.context()) {
                ChainView chain = new ChainView(ctx.protocol());
                ChainView.PoolStanding s = chain.poolStanding(address);
                if (!s.registered()) {
                    throw UserError.failure("workerpool " + address + " is not registered on this chain: check the "
                            + "address and the profile");
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("workerpool", address);
                out.put("description", chain.workerpoolDescription(address));
                out.put("owner", s.owner());
                out.put("api", ctx.reader().poolApiUrl(address).orElse("(none published: `gridchain pool set-api`)"));
                out.put("allowlistOnly", ctx.reader().allowlistOnly(address));
                out.put("bond", s.bond().toString());
                out.put("leaving", s.leaving());
                out.put("reputation", s.reputation());
                Provider.print(options, out);
                return 0;
            }
        }
    }

    @Command(
            name = "allow",
            mixinStandardHelpOptions = true,
            description = {"Add workers to the pool's on-chain allowlist (its owner only): anyone can check",
                "it, a pool declaring `allowlist on` runs only them, and data owners can require",
                "it (`sms policy --allowlisted-workers`). One transaction per worker."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain pool allow 0xPOOL 0xWORKER", "  gridchain pool allow 0xPOOL 0xW1,0xW2"})
    public static final class Allow implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "POOL", description = "The workerpool's address.")
        String pool;

        @Parameters(index = "1", paramLabel = "WORKER", split = ",", arity = "1..*",
                description = "Worker addresses, separated by commas or spaces.")
        java.util.List<String> workers;

        @Override
        public Integer call() {
            return setAllowed(options, pool, workers, true);
        }
    }

    @Command(
            name = "disallow",
            mixinStandardHelpOptions = true,
            description = {"Remove workers from the pool's on-chain allowlist (its owner only)."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain pool disallow 0xPOOL 0xWORKER"})
    public static final class Disallow implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "POOL", description = "The workerpool's address.")
        String pool;

        @Parameters(index = "1", paramLabel = "WORKER", split = ",", arity = "1..*",
                description = "Worker addresses, separated by commas or spaces.")
        java.util.List<String> workers;

        @Override
        public Integer call() {
            return setAllowed(options, pool, workers, false);
        }
    }

    @Command(
            name = "allowlist",
            mixinStandardHelpOptions = true,
            description = {"Declare on-chain that the pool runs only allowlisted workers (on), or stop (off).",
                "Its scheduler then refuses other workers, and secret services refuse them keys."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain pool allowlist 0xPOOL on", "  gridchain pool allowlist 0xPOOL off"})
    public static final class Allowlist implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "POOL", description = "The workerpool's address.")
        String pool;

        @Parameters(index = "1", paramLabel = "on|off", description = "on: only allowlisted workers; off: any.")
        String mode;

        @Override
        public Integer call() {
            String address = address(pool);
            if (!mode.equals("on") && !mode.equals("off")) throw UserError.usage("say on or off, not " + mode);
            try (Context ctx = options.context()) {
                GridClient me = ctx.client();
                requireOwner(ctx, me, address, "declare its allowlist");
                var tx = me.setAllowlistOnly(address, mode.equals("on"));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("workerpool", address);
                out.put("allowlistOnly", mode.equals("on"));
                out.put("transaction", tx.hash());
                Provider.print(options, out);
                return 0;
            }
        }
    }

    private static int setAllowed(ChainOptions options, String pool, java.util.List<String> workers, boolean allowed) {
        String address = address(pool);
        java.util.List<String> checked = new java.util.ArrayList<>();
        for (String w : workers) {
            try {
                checked.add(Words.canonical(w));
            } catch (IllegalArgumentException e) {
                throw UserError.usage("WORKER must be an address (0x and 40 hex digits), got " + w);
            }
        }
        try (Context ctx = options.context()) {
            GridClient me = ctx.client();
            requireOwner(ctx, me, address, "change its allowlist");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("workerpool", address);
            for (String w : checked) {
                out.put(w, (allowed ? "allowed" : "removed") + " (" + me.setWorkerAllowed(address, w, allowed).hash()
                        + ")");
            }
            Provider.print(options, out);
            return 0;
        }
    }

    private static void requireOwner(Context ctx, GridClient me, String address, String what) {
        String owner = new ChainView(ctx.protocol()).poolStanding(address).owner();
        if (!me.address().equalsIgnoreCase(owner)) {
            throw UserError.failure(Words.ZERO_ADDRESS.equalsIgnoreCase(owner)
                    ? "workerpool " + address + " is not registered on this chain: check the address and the profile"
                    : "only the owner of workerpool " + address + " (" + owner + ") may " + what + ", not "
                            + me.address() + ": use the owner's wallet (--wallet)");
        }
    }

    static String address(String pool) {
        try {
            return Words.canonical(pool);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("POOL must be an address (0x and 40 hex digits), got " + pool);
        }
    }
}
