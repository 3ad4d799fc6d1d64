package io.gridchain.cli.requester;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Json;
import io.gridchain.market.ChainView;
import io.gridchain.market.OrderJson;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.Salts;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs an app: the cheapest compatible orders from the book, a signed request, the match, then watch and download.
 * A little over 300 lines: most of it is the options and their help, which belong with the command.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run APP (its address) on the market.",
            "Take the cheapest compatible app, dataset and workerpool orders from the order book, match",
            "them with your request (you pay from your escrow balance), then optionally watch the tasks",
            "until they are certified and download their results.",
            "",
            "The workerpool is the cheapest whose owner has bonded at least --min-pool-bond in its own",
            "pool (not leaving) and has a reputation of at least --min-pool-reputation, among",
            "--pool-allowlist if given; run says which pool it chose and why, or why none qualifies.",
            "A pool picks the workers, so a pool that cheats can certify its own lie: see",
            "docs/SECURITY.md. Defaults come from the profile (`gridchain config set",
            "minPoolBond N`), else bond 1,000 and reputation 0."
        },
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain run 0x50554e09dd82416bad99de7ea8f71a2294a5f0f8 --args 1000000 --trust 5 --watch",
            "  gridchain run 0xAPP --dataset 0xDATASET --secret API_KEY --encrypt --watch --download out",
            "  gridchain run APP --input http://host/a.txt --volume 10 --watch --download ./results",
            "  gridchain run APP --input http://host/big.bin --volume 500 --placement affinity,replicas=4,lifetime=1h",
            "  gridchain run CHESS_APP --args 'perft 3 8/8/8/8/8/8/8/K1k5 w - - 0 1' --callback 0xCONSUMER --watch",
            "  gridchain run APP --args 1000 --min-pool-bond 50000 --min-pool-reputation 100",
            "  gridchain run APP --args 1000 --pool-allowlist 0xPOOL1,0xPOOL2",
            "  gridchain run APP --volume 10 --deliver s3://my-bucket/runs/42 --watch",
            "  gridchain run APP --deliver 'https://example.org/upload/{task}'"})
public final class RunCommand implements Callable<Integer> {
    @Mixin ChainOptions chain;

    @Parameters(index = "0", paramLabel = "APP", description = "The app's address.")
    String app;

    @Option(names = "--dataset", paramLabel = "ADDRESS", description = "A dataset the app reads under /in.")
    String dataset;

    @Option(names = "--args", paramLabel = "ARGS", description = "The app's arguments, separated by spaces.")
    String args;

    @Option(names = "--input", paramLabel = "URL", description = "An input file the app reads under /in "
            + "(repeatable); URL#sha256=HEX gives its checksum, which workers check.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--placement", paramLabel = "DIRECTIVES", description = "Data placement for the inputs and the "
            + "dataset: affinity (run where the data is cached), replicas=N (at most N workers fetch it), lifetime=T "
            + "(kept cached T after last use: 600, 10m, 2h, 7d); comma-separated. docs/APPS.md.")
    String placement;

    @Option(names = "--trust", description = "Wanted trust: a result needs credibility > 1 - 1/trust (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    long trust;

    @Option(names = "--category", description = "Category id: XS=0 .. XL=4 (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    long category;

    @Option(names = "--volume", description = "Tasks in the deal (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long volume;

    @Option(names = "--callback", paramLabel = "ADDRESS", description = "A contract receiving each result "
            + "(receiveResult(taskId, data)); the app must write /out/callback.bin, whose bytes are certified.")
    String callback;

    @Option(names = "--pool", paramLabel = "ADDRESS", description = "Only this workerpool; it must still meet "
            + "--min-pool-bond and --min-pool-reputation (lower them to use it knowingly).")
    String pool;

    @Option(names = "--min-pool-bond", paramLabel = "TOKENS", description = "Least bond the pool's owner must hold "
            + "in its own pool (default: the profile's minPoolBond, else 1,000).")
    BigInteger minPoolBond;

    @Option(names = "--min-pool-reputation", paramLabel = "N", description = "Least reputation of the pool's owner: "
            + "+1 per certified priced task, -10 per refunded one (default: the profile's minPoolReputation, else 0).")
    Long minPoolReputation;

    @Option(names = "--pool-allowlist", paramLabel = "ADDRESS", split = ",",
            description = "Only these workerpools (comma-separated).")
    List<String> poolAllowlist = new ArrayList<>();

    @Option(names = "--max-price", paramLabel = "TOKENS", description = "Most you pay per task, all prices together.")
    BigInteger maxPrice;

    @Option(names = "--sweep", paramLabel = "FILE",
            description = "A parameter sweep: one task per line of FILE, plain arguments or JSON {\"args\": …, "
                    + "\"inputs\": [{\"url\": …}]}; the volume is its number of lines. {i} and {n} in arguments "
                    + "(here or in --args) become the task's index and the bag's size.")
    Path sweep;

    @Option(names = "--sweep-uri", paramLabel = "URL", description = "Where workers fetch the --sweep FILE (a "
            + "manifest: a bag of any size costs the gas of one URL); without it the tasks go inline in the request.")
    String sweepUri;

    @Option(names = "--secret", paramLabel = "NAME", split = ",",
            description = "A secret you pushed to your secret service (`sms push-secret`); the app reads it as "
                    + "GRIDCHAIN_SECRET_<NAME> (repeatable).")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--encrypt", description = "Have each worker seal the result to your key: the pool stores and "
            + "serves it sealed; `result get` opens it.")
    boolean encrypt;

    @Option(names = "--deliver", paramLabel = "TARGET", description = "Also put each certified result in your storage:"
            + " s3://BUCKET/PREFIX (credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
            + " --deliver-credentials) or an http(s) URL holding {task}; see `gridchain deal deliver --help`.")
    String deliver;

    @Option(names = "--deliver-endpoint", paramLabel = "URL", description = "With --deliver s3://: an S3-compatible"
            + " server other than AWS.")
    String deliverEndpoint;

    @Option(names = "--deliver-region", paramLabel = "REGION", description = "With --deliver s3://: the bucket's"
            + " region (default: us-east-1).")
    String deliverRegion;

    @Option(names = "--deliver-credentials", paramLabel = "FILE", description = "With --deliver s3://: a file of"
            + " AWS_ACCESS_KEY_ID=… and AWS_SECRET_ACCESS_KEY=… lines (default: the environment).")
    Path deliverCredentials;

    @Option(names = "--watch", description = "Wait until every task is certified or failed, showing progress.")
    boolean watch;

    @Option(names = "--download", paramLabel = "DIR", description = "With --watch: download each result into DIR/<index>.")
    Path download;

    @Override
    public Integer call() throws Exception {
        if (volume < 1) throw UserError.usage("--volume must be at least 1");
        if (trust < 0) throw UserError.usage("--trust must not be negative");
        if (download != null && !watch) throw UserError.usage("--download needs --watch");
        app = address("APP", app);
        if (pool != null) pool = address("--pool", pool);
        Set<String> allowlist = new LinkedHashSet<>();
        for (String a : poolAllowlist) allowlist.add(address("--pool-allowlist", a.strip()));
        if (pool != null && !allowlist.isEmpty() && !allowlist.contains(pool)) {
            throw UserError.usage("--pool " + pool + " is not in --pool-allowlist: add it, or drop one of the two");
        }
        if (sweepUri != null && sweep == null) throw UserError.usage("--sweep-uri needs --sweep FILE");
        placementSpec = Placement.parse(placement);
        if (placementSpec != null && inputs.isEmpty() && dataset == null) {
            throw UserError.usage("--placement applies to --input files and the --dataset: give one (a sweep's inputs"
                    + " carry their own \"placement\", docs/APPS.md)");
        }
        sweepSpec = sweep == null ? null : Sweep.read(sweep, sweepUri);
        if (sweepSpec != null) {
            if (volume != 1 && volume != sweepSpec.size()) {
                throw UserError.usage("--volume " + volume + " but --sweep has " + sweepSpec.size() + " tasks: drop"
                        + " --volume, the sweep sets it");
            }
            volume = sweepSpec.size();
        }
        for (String name : secrets) {
            if (!io.gridchain.api.sms.SmsApi.NAME.matcher(name).matches()) {
                throw UserError.usage("--secret " + name + ": a secret's name is upper case letters, digits and _");
            }
        }
        if (deliver == null && (deliverEndpoint != null || deliverRegion != null || deliverCredentials != null)) {
            throw UserError.usage("--deliver-endpoint, --deliver-region and --deliver-credentials need --deliver");
        }
        // checked before the deal is paid for: a target that cannot work is refused now
        io.gridchain.api.Delivery.Target delivery = deliver == null ? null : DeliveryClient.target(deliver,
                deliverEndpoint, deliverRegion, deliverCredentials, System.getenv());
        try (Context ctx = chain.context()) {
            String market = ctx.settings().marketUrl();
            if (market == null) throw UserError.usage("no order book configured: run `gridchain devnet up` or "
                    + "`gridchain config set market URL`");
            GridClient me = ctx.client();
            if (callback != null) requireContract(me, address("--callback", callback));
            if (!secrets.isEmpty() && me.smsUrlOf(me.address()).isEmpty()) {
                throw UserError.usage("--secret needs a secret service that holds your secrets: name it with `gridchain"
                        + " sms set-url URL` and push them with `gridchain sms push-secret NAME`");
            }
            String encryptTo = encrypt ? Numeric.toHexStringWithPrefixZeroPadded(
                    ctx.credentials().getEcKeyPair().getPublicKey(), 128) : null;
            StringBuilder q = new StringBuilder(market + "/v1/best?app=" + app + "&requester=" + me.address()
                    + "&category=" + category + "&trust=" + trust + "&volume=" + volume);
            if (dataset != null) q.append("&dataset=").append(address("--dataset", dataset));
            if (pool != null) q.append("&workerpool=").append(pool);
            if (maxPrice != null) q.append("&maxPrice=").append(maxPrice);
            PoolChoice.Minimums min = new PoolChoice.Minimums(
                    PoolPolicy.minBond(minPoolBond, ctx.settings()), PoolPolicy.minReputation(minPoolReputation,
                    ctx.settings()), allowlist);
            PoolPick.Picked picked = new PoolPick(new ChainView(ctx.protocol())).pick(q.toString(), min,
                    "no compatible orders for app " + app + ": check the app address, --category and --trust, "
                            + "or publish orders");
            // said before matching: the requester sees whom it pays before it pays
            if (!chain.json()) System.out.println(picked.reason());
            JsonNode best = picked.offer();
            AppOrder appOrder = (AppOrder) OrderJson.read(Order.Kind.APP, best.get("appOrder").get("order"));
            WorkerpoolOrder poolOrder = (WorkerpoolOrder) OrderJson.read(Order.Kind.WORKERPOOL,
                    best.get("workerpoolOrder").get("order"));
            JsonNode ds = best.get("datasetOrder");
            DatasetOrder datasetOrder = ds == null || ds.isNull() ? DatasetOrder.NONE
                    : (DatasetOrder) OrderJson.read(Order.Kind.DATASET, ds.get("order"));
            RequestOrder request = new RequestOrder(app, appOrder.price(), datasetOrder.dataset(), datasetOrder.price(),
                    picked.pool(), poolOrder.price(), me.address(), Services.big(volume),
                    Words.ZERO_BYTES32, Services.big(category), Services.big(trust), Words.ZERO_ADDRESS,
                    callback == null ? Words.ZERO_ADDRESS : address("--callback", callback), params(encryptTo),
                    BigInteger.ZERO, Salts.random());
            BigInteger cost = request.appMaxPrice().add(request.datasetMaxPrice()).add(request.workerpoolMaxPrice())
                    .multiply(request.volume());
            Balance balance = me.balance();
            if (balance.free().compareTo(cost) < 0) {
                throw new UserError("insufficient balance: this run costs " + cost + " tokens but " + me.address()
                        + " has " + balance.free() + " free in the hub: `gridchain account deposit "
                        + cost.subtract(balance.free()) + "`", UserError.FAILURE);
            }
            TxResult match;
            try {
                match = me.match(appOrder, datasetOrder, poolOrder, request, sig(best.get("appOrder")),
                        ds == null || ds.isNull() ? new byte[0] : sig(ds), sig(best.get("workerpoolOrder")), new byte[0]);
            } catch (io.gridchain.protocol.errors.RevertException e) {
                // The requester's own balance was checked above: a shortfall now is the pool owner's, whose
                // stake the deal locks, and the hub's message alone would read as the requester's problem.
                if (e.errorName().equals("InsufficientFreeBalance")
                        && !e.getMessage().toLowerCase().contains(me.address().toLowerCase())) {
                    throw new UserError(e.getMessage() + ": that is the workerpool owner's stake for this deal;"
                            + " try another pool (--pool) or ask its owner to deposit", UserError.FAILURE);
                }
                throw e;
            }
            DealRecord deal = GridClient.dealOf(match.receipt());
            ObjectNode out = Services.JSON.createObjectNode();
            out.put("deal", deal.dealId());
            out.put("transaction", match.hash());
            out.put("gas", match.gasUsed());
            out.put("cost", cost.toString());
            ObjectNode chosen = out.putObject("pool");
            chosen.put("address", picked.pool());
            chosen.put("owner", picked.facts().owner());
            chosen.put("bond", picked.facts().bond().toString());
            chosen.put("reputation", picked.facts().reputation());
            chosen.put("reason", picked.reason());
            ArrayNode tasks = out.putArray("tasks");
            for (long i = 0; i < volume; i++) tasks.add(deal.taskId(i));
            if (!chain.json()) {
                System.out.println("deal " + deal.dealId() + ": " + volume + " task(s), " + cost + " tokens, tx "
                        + match.hash() + " (" + match.gasUsed() + " gas)");
            }
            if (delivery != null) registerDelivery(ctx, me, deal, delivery, out);
            int code = 0;
            if (watch) {
                code = Watch.tasks(ctx, me, deal, download, chain.json(), out);
            }
            if (chain.json()) Json.print(out);
            return code;
        }
    }

    private Sweep sweepSpec;
    private io.gridchain.api.WorkerApi.PlacementSpec placementSpec;

    /** Names the delivery target at the deal's pool; the deal is made either way, so a refusal says how to retry. */
    private void registerDelivery(Context ctx, GridClient me, DealRecord deal, io.gridchain.api.Delivery.Target target,
            ObjectNode out) {
        try {
            JsonNode answer = DeliveryClient.register(ctx, Services.scheduler(ctx, me, deal).url(), deal, target);
            out.put("deliver", answer.path("target").asText());
            if (!chain.json()) System.out.println("results also go to " + answer.path("target").asText());
        } catch (UserError e) {
            throw new UserError(e.getMessage() + "; deal " + deal.dealId() + " is made: name the target again with "
                    + "`gridchain deal deliver " + deal.dealId() + " --to " + deliver + "`", e.exitCode());
        }
    }

    /**
     * The request's params: plain arguments, or JSON when there are input files, secrets, a key to seal to, or a
     * sweep (a template in --args is one: {i} and {n} are substituted only in a sweep).
     */
    private String params(String encryptTo) {
        boolean template = args != null && (args.contains("{i}") || args.contains("{n}"));
        if (inputs.isEmpty() && secrets.isEmpty() && encryptTo == null && sweepSpec == null && !template
                && placementSpec == null) {
            return args == null ? "" : args.trim();
        }
        ObjectNode p = Services.JSON.createObjectNode();
        if (sweepSpec != null) p.set("sweep", sweepSpec.json());
        else if (template) p.putObject("sweep");
        if (args != null) p.put("args", args.trim());
        if (!inputs.isEmpty()) {
            ArrayNode in = p.putArray("inputs");
            for (String given : inputs) {
                Placement.Input input = Placement.input(given);
                String checksum = input.checksum();
                if (checksum == null && placementSpec != null) {
                    if (!chain.json()) System.out.println("reading " + input.url() + " for its sha256 (--placement)");
                    checksum = Placement.checksumOf(input.url());
                }
                ObjectNode entry = in.addObject().put("url", input.url());
                if (checksum != null) entry.put("checksum", checksum);
                if (placementSpec != null) entry.set("placement", Placement.json(placementSpec));
            }
        }
        if (placementSpec != null && dataset != null) p.set("datasetPlacement", Placement.json(placementSpec));
        if (!secrets.isEmpty()) {
            ArrayNode names = p.putArray("secrets");
            secrets.forEach(names::add);
        }
        if (encryptTo != null) p.put("encryptTo", encryptTo);
        return p.toString();
    }

    /** The hub calls the callback back: an account without code would silently receive nothing. */
    private static void requireContract(GridClient me, String address) {
        String code = GridClient.call(() -> me.protocol().chain().web3j()
                .ethGetCode(address, org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send()).getCode();
        if (code == null || code.equals("0x")) {
            throw UserError.usage("--callback " + address + " is not a contract: the hub calls its "
                    + "receiveResult(bytes32,bytes); deploy a GridConsumer (see docs/ORACLE.md)");
        }
    }

    private static byte[] sig(JsonNode entry) {
        String hex = entry.path("signature").asText("");
        return hex.isEmpty() ? new byte[0] : Numeric.hexStringToByteArray(hex);
    }

    private static String address(String what, String value) {
        try {
            return Words.canonical(value);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(what + " must be an address (0x and 40 hex digits), got " + value);
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
