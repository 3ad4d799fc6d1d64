package io.gridchain.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The example WebAssembly (wasm32-wasi) apps that this jar carries, compiled from {@code apps/src/NAME/NAME.c}
 * by {@code apps/build.sh} during the Maven build; the jar carries those C sources too ({@link #source}).
 *
 * <ul>
 *   <li>{@code primes N}: counts primes below N, writes {@code /out/result.txt}.</li>
 *   <li>{@code noop}: does nothing and exits 0, leaving {@code /out} empty (a valid result: the digest of zero
 *       files); the task of {@code gridchain bench throughput}.</li>
 *   <li>{@code mandel N}: Mandelbrot iteration counts on an N x N grid (floating point, no memory traffic),
 *       writes {@code /out/result.txt}; the CPU kernel of {@code gridchain bench runtime --kernel mandel}.</li>
 *   <li>{@code wordfreq}: top 20 words of every file under {@code /in} into {@code /out/result.txt}.</li>
 *   <li>{@code salestats}: rows and total of the "label,amount" lines under {@code /in}, and proof that it read its
 *       requester's and developer's secrets (their length and hash, never their value): the confidential example of
 *       docs/CONFIDENTIALITY.md.</li>
 *   <li>{@code chess move BOARD FLAGS MOVE | status FEN | perft DEPTH FEN}: legal-move generation for the chess
 *       example; writes {@code /out/result.txt} and the callback data {@code /out/callback.bin}.</li>
 *   <li>fault and probe apps used by the runtime's tests: {@code trap}, {@code spin}, {@code hog}, {@code flood},
 *       {@code clockrand}, {@code writein}.</li>
 * </ul>
 */
public final class ExampleApps {

    /** Names of every app in this jar. */
    public static final List<String> NAMES =
            List.of("primes", "noop", "mandel", "wordfreq", "salestats", "chess", "trap", "spin", "hog", "flood",
                    "clockrand", "writein");

    private ExampleApps() {}

    /** Classpath resource name of an app's module, e.g. {@code io/gridchain/apps/primes.wasm}. */
    public static String resourceName(String name) {
        return "io/gridchain/apps/" + name + ".wasm";
    }

    /** Classpath resource name of an app's C source, e.g. {@code io/gridchain/apps/src/primes/primes.c}. */
    public static String sourceResourceName(String name) {
        return "io/gridchain/apps/src/" + name + "/" + name + ".c";
    }

    /** The C source text of the named app (what {@code apps/build.sh} compiled into its module). */
    public static String source(String name) {
        String resource = sourceResourceName(name);
        try (InputStream in = ExampleApps.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException(
                        "no source of example app '" + name + "' (no resource " + resource + "); known apps: " + NAMES);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The module bytes of the named app. */
    public static byte[] load(String name) {
        String resource = resourceName(name);
        try (InputStream in = ExampleApps.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException(
                        "no example app '" + name + "' (no resource " + resource + "); known apps: " + NAMES);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
