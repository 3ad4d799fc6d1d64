package io.gridchain.runtime;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The app's private file system: a fresh in-memory (jimfs) file system per run holding only {@code /in} (a copy
 * of the request's input files) and {@code /out}. The app can reach no host path, even through a bug in the WASI
 * layer's path handling, and every file time is the fixed {@link VirtualClock#EPOCH} so that stat results are
 * the same on every replica. The file system's capacity is capped (inputs + twice the output limit + slack) so a
 * runaway writer cannot exhaust the host's memory before the output check stops it.
 */
final class Sandbox implements Closeable {

    private static final long SLACK_BYTES = 8L << 20;
    private static final int BLOCK_SIZE = 8192;

    final FileSystem fs;
    final Path in;
    final Path out;

    private Sandbox(FileSystem fs) {
        this.fs = fs;
        this.in = fs.getPath("/in");
        this.out = fs.getPath("/out");
    }

    static Sandbox create(Path inputDir, long maxOutputBytes) throws IOException {
        List<Path> inputs = new ArrayList<>();
        long inputBlocks = 0;
        if (inputDir != null) {
            if (!Files.isDirectory(inputDir)) {
                throw new IOException("input directory does not exist: " + inputDir);
            }
            try (Stream<Path> walk = Files.walk(inputDir)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    if (Files.isRegularFile(p)) {
                        inputs.add(p);
                        inputBlocks += (Files.size(p) + BLOCK_SIZE - 1) / BLOCK_SIZE + 1;
                    }
                }
            }
        }
        long capacity = saturatedAdd(inputBlocks * BLOCK_SIZE, saturatedAdd(2 * maxOutputBytes, SLACK_BYTES));
        FileTime epoch = FileTime.from(VirtualClock.EPOCH);
        Configuration config = Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix") // Chicory's WASI reads "unix:*"
                .setBlockSize(BLOCK_SIZE)
                .setMaxSize(capacity)
                .setMaxCacheSize(0)
                .setFileTimeSource(() -> epoch)
                .build();
        Sandbox sandbox = new Sandbox(Jimfs.newFileSystem(config));
        try {
            Files.createDirectory(sandbox.in);
            Files.createDirectory(sandbox.out);
            inputs.sort(Comparator.comparing(p -> ResultDigest.relativeName(inputDir, p), Arrays::compareUnsigned));
            for (Path p : inputs) {
                Path rel = inputDir.relativize(p);
                Path target = sandbox.in;
                for (int i = 0; i < rel.getNameCount(); i++) {
                    target = target.resolve(rel.getName(i).toString());
                }
                Files.createDirectories(target.getParent());
                try (InputStream src = Files.newInputStream(p); OutputStream dst = Files.newOutputStream(target)) {
                    src.transferTo(dst);
                }
            }
        } catch (IOException | RuntimeException e) {
            sandbox.close();
            throw e;
        }
        return sandbox;
    }

    /** Total size of the regular files under /out. */
    long outputBytes() {
        long[] total = {0};
        try {
            // the visitor gets each entry's attributes with the walk, not by a second lookup per path
            Files.walkFileTree(out, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // deleted while walking: not output any more
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    return FileVisitResult.CONTINUE; // changed while walking: count what was seen
                }
            });
        } catch (IOException e) {
            // /out itself is unreadable: nothing to count
        }
        return total[0];
    }

    /**
     * Copies /out to the host directory (created if needed), regular files and directories only, in path order,
     * stopping after {@code cap} bytes in total (the file that crosses the cap is truncated). Returns bytes copied.
     */
    long copyOut(Path hostDir, long cap) throws IOException {
        if (!Files.isDirectory(hostDir)) {
            Files.createDirectories(hostDir);
        }
        Path hostRoot = hostDir.normalize();
        List<HostCopy> files = new ArrayList<>();
        Files.walkFileTree(out, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(out)) {
                    Path target = hostPath(hostDir, dir);
                    if (!target.normalize().startsWith(hostRoot)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(target);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    Path target = hostPath(hostDir, file);
                    if (target.normalize().startsWith(hostRoot)) {
                        files.add(new HostCopy(ResultDigest.relativeName(out, file), file, target));
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
        long copied = 0;
        // most runs write little or nothing: no 64 KiB buffer for them
        byte[] buf = files.isEmpty() ? null : new byte[64 * 1024];
        for (HostCopy file : files) {
            // its directory was created by the walk
            try (InputStream src = Files.newInputStream(file.source());
                    OutputStream dst = Files.newOutputStream(file.target())) {
                int n;
                while (copied < cap && (n = src.read(buf, 0, (int) Math.min(buf.length, cap - copied))) > 0) {
                    dst.write(buf, 0, n);
                    copied += n;
                }
            }
        }
        return copied;
    }

    /**
     * What {@link #copyOut} would leave in a directory, as a {@link ResultArchive}, without the host's file system:
     * /out as it is when its {@code outputBytes} are within {@code cap}, else its files in path order with the one
     * that crosses the cap truncated and those after it empty.
     */
    byte[] archiveOut(long outputBytes, long cap) throws IOException {
        if (outputBytes <= cap) {
            return ResultArchive.encode(out);
        }
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(out, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        List<ResultArchive.ArchivedFile> capped = new ArrayList<>(files.size());
        long left = cap;
        for (Path file : files) {
            byte[] content;
            try (InputStream in = Files.newInputStream(file)) {
                content = in.readNBytes((int) Math.min(left, Integer.MAX_VALUE - 16));
            }
            left -= content.length;
            capped.add(new ResultArchive.ArchivedFile(
                    new String(ResultDigest.relativeName(out, file), StandardCharsets.UTF_8), content));
        }
        return ResultArchive.encode(capped);
    }

    /** Where a path under /out goes under {@code hostDir}: the same names, resolved one by one. */
    private Path hostPath(Path hostDir, Path underOut) {
        Path rel = out.relativize(underOut);
        Path target = hostDir;
        for (int i = 0; i < rel.getNameCount(); i++) {
            target = target.resolve(rel.getName(i).toString());
        }
        return target;
    }

    /** A file to copy out; {@code name} is its path relative to /out as UTF-8, the order files are copied in. */
    private record HostCopy(byte[] name, Path source, Path target) {}

    @Override
    public void close() throws IOException {
        fs.close();
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
