package io.gridchain.protocol.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an HTTP request body up to a limit, whatever its transfer encoding. A declared Content-Length over the
 * limit is refused before a byte is read; a body without one (chunked) is read only until it passes the limit, so
 * a client streaming a body that never ends holds at most {@code limit} bytes of the service's memory.
 */
public final class BoundedBody {
    /** The body is over the limit; the message is one line for the client. */
    public static final class TooLarge extends Exception {
        public TooLarge(long limit) {
            super("the request body is over this route's limit of " + limit + " bytes");
        }
    }

    private static final int FIRST_BUFFER = 8192;
    private static final long MAX_FIRST = 1 << 20;

    private BoundedBody() {}

    /**
     * The whole body, at most {@code limit} bytes.
     *
     * @param declaredLength the Content-Length, or -1 when the body is chunked
     */
    public static byte[] read(InputStream in, long declaredLength, long limit) throws TooLarge, IOException {
        if (declaredLength > limit) throw new TooLarge(limit);
        // the buffer grows with the bytes that arrive, not with what the client declares and may never send
        int initial = (int) Math.max(0, Math.min(Math.max(declaredLength, FIRST_BUFFER), Math.min(limit, MAX_FIRST)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(initial);
        byte[] chunk = new byte[FIRST_BUFFER];
        long total = 0;
        for (int n; (n = in.read(chunk)) != -1; ) {
            total += n;
            if (total > limit) throw new TooLarge(limit);
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }
}
