package io.gridchain.cli.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Config;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The embedded local network as a long-running service, shared by several terminals. */
@Command(
        name = "devnet",
        mixinStandardHelpOptions = true,
        description = {
            "Run a whole local network in the background.",
            "Anvil with the contracts, a workerpool's scheduler and workers, the order book and the explorer, with",
            "the example apps published. It writes the 'devnet'",
            "profile to the config, so other commands and terminals use it."
        },
        subcommands = {DevnetCommand.Up.class, DevnetCommand.Status.class, DevnetCommand.Down.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain devnet up", "  gridchain devnet status --json", "  gridchain devnet down"})
public final class DevnetCommand extends GroupCommand {
    @Option(names = "--config", description = "Config file (default: $GRIDCHAIN_CONFIG or ~/.gridchain/config.json).")
    Path config;

    Path configFile() {
        if (config != null) return config;
        return Config.defaultPath();
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start the devnet in the background.",
            footerHeading = "%n", footer = {"Examples:", "  gridchain devnet up --workers 3", "  gridchain devnet up --without-scheduler"})
    static final class Up implements Callable<Integer> {
        @ParentCommand DevnetCommand parent;

        @Option(names = "--workers", description = "Workers in the pool (default: ${DEFAULT-VALUE}).",
                defaultValue = "3")
        int workers;

        @Option(names = "--without-scheduler", description = {"Publish the pool and its orders but start neither its",
            "scheduler nor its workers: serve it with `gridchain scheduler start` and `gridchain worker start`."})
        boolean withoutScheduler;

        @Option(names = "--json", description = "Print the devnet's description as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (workers < 1 || workers > 5) throw new UserError("--workers must be between 1 and 5", 2);
            Path configFile = parent.configFile();
            Optional<DevnetState> existing = DevnetState.read(configFile);
            if (existing.isPresent() && existing.get().alive()) {
                throw new UserError("a devnet is already running (pid " + existing.get().pid() + ", rpc "
                        + existing.get().rpc() + "): run `gridchain devnet down` first", 1);
            }
            Files.deleteIfExists(DevnetState.file(configFile));
            Path log = DevnetState.dir(configFile).resolve("devnet.log");
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>();
            if (new File("/usr/bin/setsid").canExecute()) command.add("/usr/bin/setsid"); // detach from this terminal
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), DevnetMain.class.getName(),
                    "config=" + configFile.toAbsolutePath(), "workers=" + workers));
            if (withoutScheduler) command.add("scheduler=off");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            System.err.println("[devnet] starting (log: " + log + ")");
            long deadline = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < deadline) {
                Optional<DevnetState> state = DevnetState.read(configFile);
                if (state.isPresent() && state.get().alive()) {
                    print(state.get(), json);
                    return 0;
                }
                if (!process.isAlive()) {
                    throw new UserError("the devnet stopped while starting: see " + log, 1);
                }
                Thread.sleep(100);
            }
            process.destroyForcibly();
            throw new UserError("the devnet did not start within 90 s: see " + log, 1);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the running devnet.",
            footerHeading = "%n", footer = {"Example:", "  gridchain devnet status"})
    static final class Status implements Callable<Integer> {
        @ParentCommand DevnetCommand parent;

        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Optional<DevnetState> state = DevnetState.read(parent.configFile());
            if (state.isEmpty() || !state.get().alive()) {
                throw new UserError("no devnet is running: start one with `gridchain devnet up`", 1);
            }
            print(state.get(), json);
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the running devnet.",
            footerHeading = "%n", footer = {"Example:", "  gridchain devnet down"})
    static final class Down implements Callable<Integer> {
        @ParentCommand DevnetCommand parent;

        @Override
        public Integer call() throws Exception {
            Path configFile = parent.configFile();
            Optional<DevnetState> state = DevnetState.read(configFile);
            if (state.isEmpty() || !state.get().alive()) {
                Files.deleteIfExists(DevnetState.file(configFile));
                throw new UserError("no devnet is running", 1);
            }
            ProcessHandle handle = ProcessHandle.of(state.get().pid()).orElseThrow();
            handle.destroy(); // SIGTERM: the devnet closes its workers, scheduler, book and chain
            try {
                handle.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                handle.destroyForcibly();
            }
            Files.deleteIfExists(DevnetState.file(configFile));
            System.out.println("devnet stopped");
            return 0;
        }
    }

    static void print(DevnetState s, boolean json) throws IOException {
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s));
            return;
        }
        System.out.println("rpc          " + s.rpc() + " (chain " + s.chainId() + ")");
        System.out.println("hub          " + s.addresses().hub());
        System.out.println("token        " + s.addresses().token());
        System.out.println("registries   apps " + s.addresses().apps() + ", datasets " + s.addresses().datasets()
                + ", workerpools " + s.addresses().workerpools());
        String wallets = s.accounts().isEmpty() ? "" : Path.of(s.accounts().get(0).wallet()).getParent().toString();
        System.out.println("workerpool   " + s.workerpool() + (s.scheduler() != null ? " (scheduler " + s.scheduler() + ")"
                : " (no scheduler: `gridchain scheduler start --pool " + s.workerpool() + " --wallet " + wallets
                        + "/scheduler.json`, publish its URL with `gridchain pool set-api " + s.workerpool() + " URL --wallet "
                        + wallets + "/scheduler.json`, then `gridchain worker start --pool " + s.workerpool()
                        + " --wallet " + wallets + "/worker-5.json`)"));
        System.out.println("order book   " + s.market());
        if (s.explorer() != null) System.out.println("explorer     " + s.explorer() + "/");
        for (DevnetState.App a : s.apps()) System.out.println("app          " + a.name() + " " + a.address());
        for (DevnetState.Account a : s.accounts()) {
            System.out.printf("account      %-13s %s  %s%n", a.role(), a.address(), a.wallet());
        }
        System.out.println("wallets' password: " + s.walletPassword() + "  (export GRIDCHAIN_PASSWORD="
                + s.walletPassword() + ")");
        System.out.println("pid          " + s.pid());
    }
}
