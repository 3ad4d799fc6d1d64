package io.gridchain.cli.requester;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Json;
import io.gridchain.cli.discovery.Waiter;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.poco.FailureDigest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Requester commands on tasks, deals and results. */
public final class TaskCommand {
    @Command(name = "task", mixinStandardHelpOptions = true, description = "Inspect a task or claim its refund.",
            subcommands = {Show.class, Logs.class, Claim.class}, footerHeading = "%n",
            footer = {"Examples:", "  gridchain task show 0xTASK --watch", "  gridchain task logs 0xTASK",
                "  gridchain task claim 0xTASK"})
    public static final class Group extends GroupCommand {
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A task's status on-chain and in its pool's scheduler: its result, or why it failed.",
            footerHeading = "%n", footer = {"Examples:", "  gridchain task show 0xTASK --watch",
                "  gridchain task show 0xTASK --deal 0xDEAL"})
    static final class Show implements Callable<Integer> {
        @Mixin ChainOptions chain;

        @Parameters(paramLabel = "TASK", description = "The task id.")
        String taskId;

        @Option(names = "--watch", description = "Wait until the task is certified or failed.")
        boolean watch;

        @Option(names = "--deal", paramLabel = "DEAL", description = "The task's deal id (default: searched on-chain).")
        String dealId;

        @Override
        public Integer call() throws Exception {
            String id = bytes32("TASK", taskId);
            try (Context ctx = chain.context()) {
                GridClient me = ctx.reader();
                DealRecord deal = dealOf(me, id, dealId);
                String scheduler = Services.schedulerOrNone("task", ctx, me, deal);
                Waiter waiter = Services.waiter("task", me, deal);
                while (true) {
                    ObjectNode out = Services.JSON.createObjectNode();
                    out.put("task", id);
                    GridClient.TaskStatus onChain = me.taskStatus(id);
                    out.put("onChain", onChain.name());
                    if (onChain == GridClient.TaskStatus.FINALIZED) {
                        String digest = me.resultDigest(id);
                        out.put("digest", digest);
                        var callback = me.callbackOutcome(id);
                        callback.ifPresent(c -> callback(out, c, me.resultFor(id)));
                        FailureDigest.describe(callback.isPresent(), digest)
                                .ifPresent(f -> out.put("failure", f.cause() + ": " + f.message()));
                    }
                    JsonNode view = scheduler == null ? null
                            : Services.get(waiter, "scheduler", scheduler + "/v1/tasks/" + id).map(Services::json)
                                    .orElse(null);
                    if (view != null) out.set("scheduler", view);
                    boolean done = onChain == GridClient.TaskStatus.FINALIZED || onChain == GridClient.TaskStatus.CLAIMED
                            || (view != null && "FAILED".equals(view.path("status").asText()));
                    if (!watch || done) {
                        boolean failed = out.has("failure") || (view != null
                                && "FAILED".equals(view.path("status").asText()));
                        // the requester sees why: what the app printed (for the requester only, signed by its wallet)
                        if (failed && scheduler != null && deal.deal().requester().equalsIgnoreCase(walletOrNull(ctx))) {
                            TaskLogsClient.fetch(ctx, scheduler, id).ifPresent(l -> out.set("logs", l));
                        }
                        if (chain.json()) Json.print(out);
                        else print(out);
                        return 0;
                    }
                    Thread.sleep(200);
                }
            }
        }

        /** How the hub's call to the deal's callback contract went, and the data it delivered. */
        static void callback(ObjectNode out, GridClient.CallbackOutcome c, byte[] data) {
            ObjectNode cb = out.putObject("callback");
            cb.put("contract", c.callback());
            cb.put("accepted", c.success());
            cb.put("transaction", c.txHash());
            cb.put("gas", c.gasUsed());
            cb.put("data", org.web3j.utils.Numeric.toHexString(data));
        }

        private static String walletOrNull(Context ctx) {
            try {
                return ctx.walletAddress();
            } catch (RuntimeException noWallet) {
                return null;
            }
        }

        private static void print(ObjectNode out) {
            System.out.println("task      " + out.get("task").asText());
            System.out.println("on-chain  " + out.get("onChain").asText()
                    + (out.has("digest") ? " " + out.get("digest").asText() : ""));
            if (out.has("failure")) {
                System.out.println("result    failed (certified, the run is paid): " + out.get("failure").asText());
            }
            JsonNode cb = out.get("callback");
            if (cb != null) {
                System.out.println("callback  " + cb.get("contract").asText() + (cb.get("accepted").asBoolean()
                        ? " accepted the result" : " REFUSED the result (it reverted or ran out of gas): the result "
                        + "stays readable on-chain, hub.resultFor(task)") + " in " + cb.get("transaction").asText());
                System.out.println("data      " + cb.get("data").asText());
            }
            JsonNode v = out.get("scheduler");
            if (v != null) {
                System.out.println("scheduler " + v.path("status").asText()
                        + (v.hasNonNull("cause") ? " " + v.get("cause").asText() + ": " + v.path("message").asText() : "")
                        + (v.hasNonNull("transaction") ? " in " + v.get("transaction").asText() : ""));
                if (v.hasNonNull("delivery")) {
                    System.out.println("delivery  " + v.get("delivery").asText()
                            + (v.hasNonNull("deliveryCause") ? ": " + v.get("deliveryCause").asText() : ""));
                }
            }
            JsonNode logs = out.get("logs");
            if (logs != null) {
                for (JsonNode r : logs.path("replicas")) {
                    String stderr = r.path("stderr").asText("");
                    if (stderr.isBlank()) continue;
                    System.out.println("stderr    (worker " + r.path("worker").asText() + ", "
                            + r.path("outcome").asText() + "; all of it: `gridchain task logs "
                            + out.get("task").asText() + "`)");
                    stderr.strip().lines().skip(Math.max(0, stderr.strip().lines().count() - 10))
                            .forEach(line -> System.out.println("  " + line));
                }
            }
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true,
            description = {"What the app printed (stdout and stderr tails) in each replica of a task, certified or",
                "failed. For the deal's requester only: the request is signed with the wallet."},
            footerHeading = "%n", footer = {"Examples:", "  gridchain task logs 0xTASK",
                "  gridchain task logs 0xTASK --deal 0xDEAL --json"})
    static final class Logs implements Callable<Integer> {
        @Mixin ChainOptions chain;

        @Parameters(paramLabel = "TASK", description = "The task id.")
        String taskId;

        @Option(names = "--deal", paramLabel = "DEAL", description = "The task's deal id (default: searched on-chain).")
        String dealId;

        @Override
        public Integer call() {
            String id = bytes32("TASK", taskId);
            try (Context ctx = chain.context()) {
                GridClient me = ctx.client();
                DealRecord deal = dealOf(me, id, dealId);
                String scheduler = Services.scheduler(ctx, me, deal).url();
                JsonNode logs = TaskLogsClient.fetch(ctx, scheduler, id).orElse(null);
                if (chain.json()) {
                    Json.print(logs == null ? Services.JSON.createObjectNode().put("taskId", id)
                            .set("replicas", Services.JSON.createArrayNode()) : logs);
                    return 0;
                }
                if (logs == null || logs.path("replicas").isEmpty()) {
                    System.out.println("task " + id + ": its app printed nothing");
                    return 0;
                }
                for (JsonNode r : logs.path("replicas")) {
                    System.out.println("== replica " + r.path("replicateId").asText() + " on worker "
                            + r.path("worker").asText() + ": " + r.path("outcome").asText()
                            + (r.hasNonNull("message") ? " (" + r.get("message").asText() + ")" : ""));
                    System.out.println("-- stdout");
                    System.out.print(withNewline(r.path("stdout").asText("")));
                    System.out.println("-- stderr");
                    System.out.print(withNewline(r.path("stderr").asText("")));
                }
                return 0;
            }
        }

        private static String withNewline(String s) {
            return s.isEmpty() || s.endsWith("\n") ? s : s + "\n";
        }
    }

    @Command(name = "claim", mixinStandardHelpOptions = true,
            description = "Refund a task that missed its deadline (you get its price back and the scheduler's stake).",
            footerHeading = "%n", footer = {"Example:", "  gridchain task claim 0xTASK --deal 0xDEAL"})
    static final class Claim implements Callable<Integer> {
        @Mixin ChainOptions chain;

        @Parameters(paramLabel = "TASK", description = "The task id.")
        String taskId;

        @Option(names = "--deal", required = true, paramLabel = "DEAL", description = "The task's deal id.")
        String dealId;

        @Override
        public Integer call() throws Exception {
            String id = bytes32("TASK", taskId);
            try (Context ctx = chain.context()) {
                GridClient me = ctx.client();
                DealRecord deal = Services.deal(me, bytes32("--deal", dealId));
                for (long i = 0; i < Services.volume(deal); i++) {
                    if (deal.taskId(i).equalsIgnoreCase(id)) {
                        var tx = me.claim(deal, List.of(i));
                        System.out.println("claimed task " + id + " in " + tx.hash());
                        return 0;
                    }
                }
                throw new UserError("task " + id + " is not part of deal " + dealId, UserError.USAGE);
            }
        }
    }

    @Command(name = "deal", mixinStandardHelpOptions = true, description = "Inspect a deal or claim its refunds.",
            subcommands = {DealShow.class, DealClaim.class, DeliverCommand.class}, footerHeading = "%n",
            footer = {"Examples:", "  gridchain deal show 0xDEAL", "  gridchain deal claim 0xDEAL",
                "  gridchain deal deliver 0xDEAL --to s3://my-bucket/runs/42"})
    public static final class DealGroup extends GroupCommand {
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A deal's terms and its tasks' status.",
            footerHeading = "%n", footer = {"Example:", "  gridchain deal show 0xDEAL --json"})
    static final class DealShow implements Callable<Integer> {
        @Mixin ChainOptions chain;

        @Parameters(paramLabel = "DEAL", description = "The deal id.")
        String dealId;

        @Override
        public Integer call() throws Exception {
            try (Context ctx = chain.context()) {
                GridClient me = ctx.reader();
                DealRecord deal = Services.deal(me, bytes32("DEAL", dealId));
                ObjectNode out = Services.JSON.createObjectNode();
                out.put("deal", deal.dealId());
                out.set("terms", Services.JSON.valueToTree(deal.terms()));
                out.set("committed", Services.JSON.valueToTree(deal.deal()));
                out.put("deadline", deal.deal().deadline());
                var tasks = out.putArray("tasks");
                for (long i = 0; i < Services.volume(deal); i++) {
                    tasks.addObject().put("index", i).put("task", deal.taskId(i))
                            .put("status", me.taskStatus(deal.taskId(i)).name());
                }
                if (chain.json()) {
                    Json.print(out);
                } else {
                    System.out.println("deal     " + deal.dealId() + " (app " + deal.terms().app() + ", pool "
                            + deal.terms().workerpool() + ", trust " + deal.deal().trust() + ", deadline "
                            + deal.deal().deadline() + ")");
                    for (JsonNode t : tasks) {
                        System.out.println("task " + t.get("index").asLong() + "   " + t.get("task").asText() + " "
                                + t.get("status").asText());
                    }
                }
                return 0;
            }
        }
    }

    @Command(name = "claim", mixinStandardHelpOptions = true,
            description = "Refund every task of a deal that was not certified by its deadline.",
            footerHeading = "%n", footer = {"Example:", "  gridchain deal claim 0xDEAL"})
    static final class DealClaim implements Callable<Integer> {
        @Mixin ChainOptions chain;

        @Parameters(paramLabel = "DEAL", description = "The deal id.")
        String dealId;

        @Override
        public Integer call() throws Exception {
            try (Context ctx = chain.context()) {
                GridClient me = ctx.client();
                DealRecord deal = Services.deal(me, bytes32("DEAL", dealId));
                List<Long> open = new ArrayList<>();
                for (long i = 0; i < Services.volume(deal); i++) {
                    GridClient.TaskStatus s = me.taskStatus(deal.taskId(i));
                    if (s != GridClient.TaskStatus.FINALIZED && s != GridClient.TaskStatus.CLAIMED) open.add(i);
                }
                if (open.isEmpty()) throw new UserError("nothing to claim: every task of " + dealId
                        + " is certified or already refunded", UserError.FAILURE);
                var tx = me.claim(deal, open);
                System.out.println("claimed " + open.size() + " task(s) of deal " + deal.dealId() + " in " + tx.hash());
                return 0;
            }
        }
    }

    @Command(name = "result", mixinStandardHelpOptions = true, description = "Download certified results.",
            subcommands = {ResultGet.class}, footerHeading = "%n",
            footer = {"Example:", "  gridchain result get 0xTASK -o ./result"})
    public static final class ResultGroup extends GroupCommand {
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Download a task's certified result, open it if sealed to your key, check it against the chain.",
            footerHeading = "%n", footer = {"Example:", "  gridchain result get 0xTASK -o ./result"})
    static final class ResultGet implements Callable<Integer> {
        @Mixin ChainOptions chain;

        @Parameters(paramLabel = "TASK", description = "The task id.")
        String taskId;

        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Where to write the files (default: ./TASK).")
        Path output;

        @Option(names = "--deal", paramLabel = "DEAL", description = "The task's deal id (default: searched on-chain).")
        String dealId;

        @Override
        public Integer call() throws Exception {
            String id = bytes32("TASK", taskId);
            try (Context ctx = chain.context()) {
                GridClient me = ctx.client();
                Path dir = Results.download(ctx, me, id, output != null ? output : Path.of(id),
                        () -> dealOf(me, id, dealId));
                System.out.println("result of task " + id + " written to " + dir);
                return 0;
            }
        }
    }

    /**
     * The deal of task {@code id}: {@code dealId} when given (checked to hold the task), else searched among the
     * chain's deals, which a node limiting log queries may refuse.
     */
    static DealRecord dealOf(GridClient me, String id, String dealId) {
        if (dealId == null) {
            return Services.dealOfTask(me, id).orElseThrow(() -> UserError.failure("no deal on this chain has task "
                    + id + ": check the id and the profile"));
        }
        DealRecord deal = Services.deal(me, bytes32("--deal", dealId));
        for (long i = 0; i < Services.volume(deal); i++) {
            if (deal.taskId(i).equalsIgnoreCase(id)) return deal;
        }
        throw UserError.usage("task " + id + " is not part of deal " + deal.dealId());
    }

    static String bytes32(String what, String value) {
        try {
            return Words.hex(Words.toBytes32(value));
        } catch (RuntimeException e) {
            throw UserError.usage(what + " must be 0x and 64 hex digits, got " + value);
        }
    }

    private TaskCommand() {}
}
