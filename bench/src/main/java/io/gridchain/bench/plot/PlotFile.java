package io.gridchain.bench.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a bench's {@code --plot} goes. Checked before the bench runs, so a mistyped directory costs one line at
 * once rather than a long run whose chart is then lost; written after it, one line again if that still fails.
 */
public final class PlotFile {
    private PlotFile() {}

    /** Why {@code file} cannot be written, as one line for the user, or {@code null} when it can. */
    public static String problem(Path file) {
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) return "--plot " + file + " is a directory, not a file";
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return "--plot " + file + ": directory " + dir + " does not exist";
        }
        if (!Files.isWritable(dir) || (Files.exists(absolute) && !Files.isWritable(absolute))) {
            return "--plot " + file + ": not writable";
        }
        return null;
    }

    /** Writes the SVG document; the exception's message names the file and the cause in one line. */
    public static void write(Path file, String svg) throws IOException {
        try {
            Files.writeString(file, svg, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot write --plot " + file + ": " + e, e);
        }
    }
}
