package io.gridchain.runtime;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasi.WasiPreview1;
import java.util.HashSet;
import java.util.Set;

/**
 * Wraps Chicory's WASI preview 1 host functions to enforce what Chicory's WASI does not:
 * <ul>
 *   <li>{@code /in} is read-only: any path operation that would create, modify, rename, link or delete through a
 *       descriptor derived from the {@code /in} preopen fails with EROFS, and write-like calls on files opened
 *       from it fail with EBADF. Descriptors derived from {@code /in} are tracked across path_open, fd_close and
 *       fd_renumber.</li>
 *   <li>symlinks cannot be created (EPERM): Chicory follows symlinks without checking that the target stays in the
 *       preopened directory.</li>
 *   <li>output is bounded during the run: after every few KiB written (and after every fd_allocate or
 *       fd_filestat_set_size) the size of {@code /out} is measured and the app is stopped with
 *       {@link OutputLimitExceeded} when it exceeds the limit.</li>
 *   <li>time is virtual: clock_time_get answers from the {@link VirtualClock} for both the realtime and the
 *       monotonic clock (Chicory reads System.nanoTime for the monotonic one).</li>
 * </ul>
 * Single-threaded by construction: one guard per run, called only from the app's thread.
 */
final class WasiGuard {

    // WASI preview 1 constants (wasi_snapshot_preview1 witx).
    static final int OFLAGS_CREAT = 1;
    static final int OFLAGS_TRUNC = 8;
    static final int FDFLAGS_APPEND = 1;
    static final long RIGHT_FD_DATASYNC = 1L;
    static final long RIGHT_FD_WRITE = 1L << 6;
    static final long RIGHT_FD_ALLOCATE = 1L << 8;
    static final long RIGHT_FD_FILESTAT_SET_SIZE = 1L << 22;
    static final int ERRNO_SUCCESS = 0;
    static final int ERRNO_BADF = 8;
    static final int ERRNO_PERM = 63;
    static final int ERRNO_ROFS = 69;
    static final long WRITE_RIGHTS = RIGHT_FD_WRITE | RIGHT_FD_ALLOCATE | RIGHT_FD_FILESTAT_SET_SIZE | RIGHT_FD_DATASYNC;

    private final Set<Integer> inFds = new HashSet<>();
    private final VirtualClock clock;
    private final Sandbox sandbox;
    private final long maxOutputBytes;
    private final long checkEvery;
    private long writtenSinceCheck;
    private final ImportFunction[] functions;

    WasiGuard(WasiPreview1 wasi, int inPreopenFd, VirtualClock clock, Sandbox sandbox, long maxOutputBytes) {
        this.clock = clock;
        this.sandbox = sandbox;
        this.maxOutputBytes = maxOutputBytes;
        this.checkEvery = Math.max(64 * 1024, Math.min(maxOutputBytes / 16, 4L << 20));
        this.inFds.add(inPreopenFd);
        HostFunction[] original = wasi.toHostFunctions();
        this.functions = new ImportFunction[original.length];
        for (int i = 0; i < original.length; i++) {
            HostFunction f = original[i];
            WasmFunctionHandle h = wrap(f.name(), f.handle());
            functions[i] = h == f.handle() ? f : new HostFunction(f.module(), f.name(), f.functionType(), h);
        }
    }

    ImportFunction[] functions() {
        return functions;
    }

    /** Measures /out now and stops the app if it is over the limit. */
    void checkOutput() {
        writtenSinceCheck = 0;
        long size = sandbox.outputBytes();
        if (size > maxOutputBytes) {
            throw new OutputLimitExceeded("app wrote more than " + maxOutputBytes + " bytes of output", size);
        }
    }

    private void wrote(long bytes) {
        writtenSinceCheck += bytes;
        if (writtenSinceCheck >= checkEvery) {
            checkOutput();
        }
    }

    private boolean isIn(long fd) {
        return inFds.contains((int) fd);
    }

    private static long[] errno(int e) {
        return new long[] {e};
    }

    private static boolean ok(long[] r) {
        return r != null && r.length > 0 && r[0] == ERRNO_SUCCESS;
    }

    private WasmFunctionHandle wrap(String name, WasmFunctionHandle h) {
        switch (name) {
            case "clock_time_get":
                // (clock_id, precision: i64, result_ptr)
                return (inst, a) -> {
                    if (a[0] == 0 || a[0] == 1) {
                        long now = a[0] == 0 ? clock.realtimeNanos() : clock.monotonicNanos();
                        inst.memory().writeLong((int) a[2], now);
                        return errno(ERRNO_SUCCESS);
                    }
                    return h.apply(inst, a);
                };
            case "path_open":
                // (dirfd, lookupflags, path_ptr, path_len, oflags, rights_base, rights_inheriting, fdflags, fd_ptr)
                return (inst, a) -> {
                    boolean fromIn = isIn(a[0]);
                    if (fromIn
                            && (((a[4] & (OFLAGS_CREAT | OFLAGS_TRUNC)) != 0)
                                    || (a[5] & WRITE_RIGHTS) != 0
                                    || (a[7] & FDFLAGS_APPEND) != 0)) {
                        return errno(ERRNO_ROFS);
                    }
                    long[] r = h.apply(inst, a);
                    if (ok(r)) {
                        int fd = inst.memory().readInt((int) a[8]);
                        if (fromIn) {
                            inFds.add(fd);
                        } else {
                            inFds.remove(fd);
                        }
                    }
                    return r;
                };
            case "path_create_directory":
            case "path_remove_directory":
            case "path_unlink_file":
            case "path_filestat_set_times":
                return (inst, a) -> isIn(a[0]) ? errno(ERRNO_ROFS) : h.apply(inst, a);
            case "path_rename":
                // (fd, old_ptr, old_len, new_fd, new_ptr, new_len)
                return (inst, a) -> isIn(a[0]) || isIn(a[3]) ? errno(ERRNO_ROFS) : h.apply(inst, a);
            case "path_link":
                // (old_fd, old_flags, old_ptr, old_len, new_fd, new_ptr, new_len)
                return (inst, a) -> isIn(a[0]) || isIn(a[4]) ? errno(ERRNO_ROFS) : h.apply(inst, a);
            case "path_symlink":
                return (inst, a) -> errno(ERRNO_PERM);
            case "fd_write":
                // (fd, iovs, iovs_len, nwritten_ptr)
                return (inst, a) -> {
                    if (isIn(a[0])) {
                        return errno(ERRNO_BADF);
                    }
                    long[] r = h.apply(inst, a);
                    if (ok(r)) {
                        wrote(Integer.toUnsignedLong(inst.memory().readInt((int) a[3])));
                    }
                    return r;
                };
            case "fd_pwrite":
                // (fd, iovs, iovs_len, offset: i64, nwritten_ptr)
                return (inst, a) -> {
                    if (isIn(a[0])) {
                        return errno(ERRNO_BADF);
                    }
                    long[] r = h.apply(inst, a);
                    if (ok(r)) {
                        writtenSinceCheck = checkEvery; // a write at an offset may grow a file by more than it wrote
                        wrote(Integer.toUnsignedLong(inst.memory().readInt((int) a[4])));
                    }
                    return r;
                };
            case "fd_allocate":
            case "fd_filestat_set_size":
                return (inst, a) -> {
                    if (isIn(a[0])) {
                        return errno(ERRNO_BADF);
                    }
                    long[] r = h.apply(inst, a);
                    checkOutput();
                    return r;
                };
            case "fd_filestat_set_times":
                return (inst, a) -> isIn(a[0]) ? errno(ERRNO_ROFS) : h.apply(inst, a);
            case "fd_close":
                return (inst, a) -> {
                    long[] r = h.apply(inst, a);
                    if (ok(r)) {
                        inFds.remove((int) a[0]);
                    }
                    return r;
                };
            case "fd_renumber":
                // (from, to)
                return (inst, a) -> {
                    long[] r = h.apply(inst, a);
                    if (ok(r)) {
                        boolean wasIn = inFds.remove((int) a[0]);
                        inFds.remove((int) a[1]);
                        if (wasIn) {
                            inFds.add((int) a[1]);
                        }
                    }
                    return r;
                };
            default:
                return h;
        }
    }
}
