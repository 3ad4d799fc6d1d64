package io.gridchain.runtime;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * Captures an app's stdout or stderr: keeps the first {@code keep} bytes, counts everything, and stops the app
 * (by throwing {@link OutputLimitExceeded} out of the WASI call) once more than {@code limit} bytes were written.
 */
final class BoundedCapture extends OutputStream {

    private final String streamName;
    private final int keep;
    private final long limit;
    private byte[] buf = new byte[256];
    private int size;
    private long total;

    BoundedCapture(String streamName, int keep, long limit) {
        this.streamName = streamName;
        this.keep = keep;
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = keep - size;
        int take = Math.min(room, len);
        if (take > 0) {
            if (size + take > buf.length) {
                buf = Arrays.copyOf(buf, Math.min(keep, Math.max(buf.length * 2, size + take)));
            }
            System.arraycopy(b, off, buf, size, take);
            size += take;
        }
        total += len;
        if (total > limit) {
            throw new OutputLimitExceeded(
                    "app wrote more than " + limit + " bytes to " + streamName, total);
        }
    }

    synchronized byte[] bytes() {
        return Arrays.copyOf(buf, size);
    }

    synchronized long total() {
        return total;
    }
}
