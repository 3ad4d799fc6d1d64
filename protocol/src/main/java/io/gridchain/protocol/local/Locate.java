package io.gridchain.protocol.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds a file of the source tree (an npm package's binary, a script) from wherever the code runs:
 * walking up from the working directory and from this class's jar or classes directory, so tests,
 * the CLI jar and child processes all find the same checkout.
 */
final class Locate {
    private Locate() {}

    /** The first {@code dir/rel} (for each {@code rel}) that passes {@code ok}, walking up from the starts. */
    static Optional<Path> upwards(List<String> rels, Predicate<Path> ok) {
        for (Path start : starts()) {
            for (Path d = start; d != null; d = d.getParent()) {
                for (String rel : rels) {
                    Path c = d.resolve(rel);
                    if (ok.test(c)) return Optional.of(c.normalize());
                }
            }
        }
        return Optional.empty();
    }

    static Set<Path> starts() {
        Set<Path> starts = new LinkedHashSet<>();
        starts.add(Path.of("").toAbsolutePath());
        codeLocation().ifPresent(starts::add);
        return starts;
    }

    /**
     * The path an env var names, when set: it must pass {@code ok} ("is not {@code what}" otherwise),
     * since a wrong override should stop the run rather than be silently ignored.
     */
    static Optional<Path> fromEnv(String env, Predicate<Path> ok, String what) {
        String value = System.getenv(env);
        if (value == null || value.isBlank()) return Optional.empty();
        Path p = Path.of(value);
        if (ok.test(p)) return Optional.of(p);
        throw new IllegalStateException(env + "=" + value + " is not " + what);
    }

    /** The first executable called {@code name} on the PATH. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path c = Path.of(dir, name);
            if (Files.isExecutable(c)) return Optional.of(c);
        }
        return Optional.empty();
    }

    private static Optional<Path> codeLocation() {
        try {
            CodeSource cs = Locate.class.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) return Optional.empty();
            return Optional.of(Path.of(cs.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
