package io.gridchain.cli.service;

import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Json;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A service running in the foreground of a `start` command: prints where it listens (one JSON
 * object with --json), then runs until Ctrl-C (SIGINT) or SIGTERM, which close it cleanly.
 */
public final class Foreground {
    private Foreground() {}

    public static int run(String name, AutoCloseable service, ChainOptions options, Map<String, Object> description)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("[" + name + "] stopping");
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("[" + name + "] error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, "gridchain-" + name + "-stop"));
        if (options.json()) {
            Json.print(description);
        } else {
            int width = description.keySet().stream().mapToInt(String::length).max().orElse(0);
            description.forEach((k, v) -> System.out.println(String.format("%-" + width + "s : %s", k, v)));
            System.err.println("[" + name + "] running: Ctrl-C to stop");
        }
        System.out.flush();
        stopped.await();
        return 0;
    }
}
