package io.gridchain.scheduler;

import io.gridchain.protocol.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.web3j.crypto.Credentials;

/**
 * Runs a scheduler as its own process until it is killed:
 * {@code java -cp ... io.gridchain.scheduler.SchedulerMain rpc=URL hub=0x.. token=0x.. apps=0x.. datasets=0x..
 * workerpools=0x.. pool=0x.. keyFile=PATH data=DIR port=N}. Prints "listening URL" once serving.
 * The {@code gridchain scheduler start} command is the user-facing way to start one.
 */
public final class SchedulerMain {
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
        Protocol.Addresses addresses = new Protocol.Addresses(a.get("token"), a.get("hub"), a.get("apps"),
                a.get("datasets"), a.get("workerpools"));
        Credentials key = Credentials.create(Files.readString(Path.of(a.get("keyFile"))).trim());
        Scheduler.Config config = Scheduler.Config.local(a.get("rpc"), addresses, key, a.get("pool"),
                Path.of(a.get("data"))).withPort(Integer.parseInt(a.getOrDefault("port", "0")));
        Scheduler scheduler = Scheduler.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(scheduler::close));
        System.out.println("listening " + scheduler.url());
        System.out.flush();
        Thread.currentThread().join();
    }

    private SchedulerMain() {}
}
