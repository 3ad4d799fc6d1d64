package io.gridchain.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.web3j.crypto.Credentials;

/**
 * Runs a worker as its own process until it is killed:
 * {@code java -cp ... io.gridchain.worker.WorkerMain scheduler=URL keyFile=PATH slots=N cache=DIR}.
 * The {@code gridchain worker start} command is the user-facing way to start one.
 */
public final class WorkerMain {
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                System.err.println("error: arguments are key=value, got " + arg);
                System.exit(2);
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Credentials key = Credentials.create(Files.readString(Path.of(a.get("keyFile"))).trim());
        WorkerConfig config = WorkerConfig.of(a.get("scheduler"), key)
                .withSlots(Integer.parseInt(a.getOrDefault("slots", "1")))
                .withCacheDir(a.containsKey("cache") ? Path.of(a.get("cache")) : null);
        WorkerAgent agent = new WorkerAgent(config).start();
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close));
        System.out.println("worker " + agent.address() + " started");
        System.out.flush();
        Thread.currentThread().join();
    }

    private WorkerMain() {}
}
