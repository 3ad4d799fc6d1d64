package io.gridchain.cli.provider;

import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Json;
import java.util.Map;

/** Output shared by the provider commands: JSON, or one "key : value" line per entry. */
public final class Provider {
    private Provider() {}

    public static void print(ChainOptions options, Map<String, Object> out) {
        if (options.json()) {
            Json.print(out);
            return;
        }
        int width = out.keySet().stream().mapToInt(String::length).max().orElse(0);
        out.forEach((k, v) -> System.out.println(String.format("%-" + width + "s : %s", k, v)));
    }
}
