package io.gridchain.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus text exposition, parsed strictly enough that a malformed line fails the test. */
record PrometheusText(Map<String, Double> samples) {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*})?"
            + " (-?[0-9.eE+-]+|NaN|[+-]Inf)");

    static PrometheusText parse(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a Prometheus sample line: " + line).isTrue();
            out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(
                    m.group(3).replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
        }
        return new PrometheusText(out);
    }

    /** The value of {@code name} whose labels include every {@code label="value"} given; 0 when absent. */
    double value(String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (var e : samples.entrySet()) {
            String key = e.getKey();
            if (!(key.equals(name) || key.startsWith(name + "{"))) continue;
            boolean all = true;
            for (String l : labels) all &= key.contains(l);
            if (all) {
                sum += e.getValue();
                found = true;
            }
        }
        return found ? sum : 0;
    }

    boolean has(String name) {
        return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }
}
