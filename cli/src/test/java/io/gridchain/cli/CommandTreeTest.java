package io.gridchain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.cli.config.Cli;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command of the tree, walked from picocli's model: --help works and shows a usage example. */
class CommandTreeTest {
    /** Commands that print no data, so have nothing to give as JSON. */
    private static final Set<String> WITHOUT_JSON = Set.of("gridchain version", "gridchain devnet down",
            "gridchain config use", "gridchain config set");

    @Test
    void everyCommandHasHelpWithAnExample() {
        List<CommandLine> commands = new ArrayList<>();
        collect(Main.newCommandLine(), commands);
        assertThat(commands).extracting(c -> c.getCommandSpec().qualifiedName())
                .contains("gridchain order publish", "gridchain order list", "gridchain order cancel",
                        "gridchain scheduler start", "gridchain worker start", "gridchain market start");
        List<String> withoutExample = new ArrayList<>();
        for (CommandLine c : commands) {
            String name = c.getCommandSpec().qualifiedName();
            String[] path = name.equals("gridchain") ? new String[0] : name.substring("gridchain ".length()).split(" ");
            if (!Pattern.compile("Examples?:\\R\\s+gridchain ").matcher(Cli.help(path)).find()) withoutExample.add(name);
        }
        assertThat(withoutExample).isEmpty();
    }

    @Test
    void everyLeafThatPrintsDataHasJsonOutput() {
        List<CommandLine> commands = new ArrayList<>();
        collect(Main.newCommandLine(), commands);
        List<String> missing = commands.stream()
                .filter(c -> c.getSubcommands().isEmpty())
                .filter(c -> c.getCommandSpec().findOption("--json") == null)
                .map(c -> c.getCommandSpec().qualifiedName())
                .filter(n -> !WITHOUT_JSON.contains(n))
                .toList();
        assertThat(missing).isEmpty();
        assertThat(commands).filteredOn(c -> c.getCommandSpec().findOption("--json") == null)
                .extracting(c -> c.getCommandSpec().qualifiedName()).containsAll(WITHOUT_JSON);
    }

    private static void collect(CommandLine c, List<CommandLine> out) {
        if (c.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) return;
        out.add(c);
        c.getSubcommands().values().forEach(s -> collect(s, out));
    }
}
