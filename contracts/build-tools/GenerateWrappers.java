import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.web3j.codegen.SolidityFunctionWrapperGenerator;

/**
 * Build-time driver (run by Maven via the Java single-file source launcher, see contracts/pom.xml):
 * generates a web3j wrapper for EVERY {@code <Name>.abi}/{@code <Name>.bin} pair in a directory.
 *
 * <p>Usage: {@code java -cp <web3j codegen classpath> GenerateWrappers.java <solidityDir> <outDir> <package>}
 *
 * <p>Incremental: a wrapper is regenerated only when its .abi or .bin is newer; wrappers whose contract
 * no longer exists are deleted.
 */
public final class GenerateWrappers {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: GenerateWrappers <solidityDir> <outDir> <package>");
            System.exit(2);
        }
        Path solDir = Path.of(args[0]);
        Path outDir = Path.of(args[1]);
        String pkg = args[2];
        Path pkgDir = outDir.resolve(pkg.replace('.', File.separatorChar));
        Files.createDirectories(pkgDir);

        List<Path> abis = new ArrayList<>();
        if (Files.isDirectory(solDir)) {
            try (Stream<Path> s = Files.list(solDir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".abi")).sorted().forEach(abis::add);
            }
        }

        Set<String> expected = new HashSet<>();
        int generated = 0;
        for (Path abi : abis) {
            String name = abi.getFileName().toString().replaceFirst("\\.abi$", "");
            Path bin = solDir.resolve(name + ".bin");
            if (!Files.exists(bin)) {
                System.err.println("web3j: skipping " + name + " (no .bin)");
                continue;
            }
            String className = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            expected.add(className + ".java");
            Path target = pkgDir.resolve(className + ".java");
            if (Files.exists(target) && newer(target, abi) && newer(target, bin)) {
                continue;
            }
            new SolidityFunctionWrapperGenerator(
                            bin.toFile(),
                            abi.toFile(),
                            outDir.toFile(),
                            name,
                            pkg,
                            true, // Java native types (BigInteger, String, ...) like the CLI default
                            false,
                            20) // address length in bytes
                    .generate();
            generated++;
        }

        int removed = 0;
        try (Stream<Path> s = Files.list(pkgDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String f = p.getFileName().toString();
                if (f.endsWith(".java") && !expected.contains(f)) {
                    Files.delete(p);
                    removed++;
                }
            }
        }
        System.out.printf(
                "web3j: %d contract(s), %d wrapper(s) generated, %d up to date, %d stale removed -> %s%n",
                expected.size(), generated, expected.size() - generated, removed, pkgDir);
    }

    private static boolean newer(Path a, Path b) throws IOException {
        return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b)) > 0;
    }
}
