package io.gridchain.bench.gas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Gas per operation and per certified task, measured from receipts on an embedded anvil. */
@Command(
        name = "gas",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the protocol's gas on an embedded anvil: per operation, and per certified task",
            "(matching included) for (a) a one-task deal at trust 1, (b) a one-task deal with 3 agreeing",
            "workers, (c) a bag of 100 tasks with 3 agreeing workers each; plus (b) on the per-worker",
            "path, and (b) as the first deal of brand-new app and workerpool orders; then the chess example:",
            "fool's mate decided through gridchain by a real worker, each move also decided on-chain."
        },
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain bench gas", "  gridchain bench gas --json > gas.json"})
public final class BenchGasCommand implements Callable<Integer> {
    /** iExec PoCo v6.2.0 measured on anvil 1.7.1, per certified task (shared/REFERENCE.md). */
    private static final long IEXEC_TRUST1 = 1_370_468;
    private static final long IEXEC_3_WORKERS = 2_401_140;
    private static final long IEXEC_BAG100 = 1_801_221;

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        GasBench.Result r = GasBench.run(step -> System.err.println("[bench gas] " + step));
        if (json) {
            Map<String, Object> out = GasBench.toJson(r);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            return 0;
        }
        System.out.printf("%-20s %-48s %12s %6s%n", "scenario", "operation", "gas", "count");
        for (GasBench.Row row : r.rows()) {
            System.out.printf("%-20s %-48s %,12d %6d%n", row.scenario(), row.operation(), row.gas(), row.count());
        }
        System.out.println();
        System.out.printf("%-44s %12s %8s %14s %8s%n", "gas per certified task (matching included)", "gridchain",
                "target", "iExec PoCo", "ratio");
        line("(a) one task, trust 1", r.singleTrust1(), "-", IEXEC_TRUST1);
        line("(b) one task, 3 agreeing workers", r.single3Workers(), "300,000", IEXEC_3_WORKERS);
        line("(c) bag of 100, 3 workers per task", r.bag100PerTask(), "30,000", IEXEC_BAG100);
        line("(d) sweep of 100,000 (manifest), 3 workers", r.sweep100kPerTask(), "<= (c)", IEXEC_BAG100);
        line("(b) on the per-worker commit/reveal path", r.classic3Workers(), "-", IEXEC_3_WORKERS);
        line("(b) as the first deal of new provider orders", r.single3WorkersFreshOrders(), "-", IEXEC_3_WORKERS);
        System.out.println();
        System.out.printf("%-44s %12s %16s%n", "chess: fool's mate, per move", "via gridchain", "on-chain check");
        for (var m : r.chess().moves()) {
            System.out.printf("%-44s %,12d %,16d%n", m.ply() + ". " + m.move() + " (" + m.state().name().toLowerCase()
                    + ")", m.viaGridchain(), m.onchainGas());
        }
        return 0;
    }

    private static void line(String label, long gas, String target, long iexec) {
        System.out.printf("%-44s %,12d %8s %,14d %7.1fx%n", label, gas, target, iexec, (double) iexec / gas);
    }
}
