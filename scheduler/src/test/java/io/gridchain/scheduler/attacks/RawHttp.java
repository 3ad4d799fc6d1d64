package io.gridchain.scheduler.attacks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 written by hand over a socket, the way an attacker sends it: any headers (a Content-Length it never
 * honours, chunked encoding), and a body sent only as far as the attacker chooses.
 */
final class RawHttp implements AutoCloseable {
    /** A response: status and body (read to its Content-Length, or until the server closes). */
    record Response(int status, String body) {}

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        // a safety net only: an assertion that hangs fails here instead of stalling the build
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** Sends the request line and headers, and nothing of the body. */
    void head(String method, String path, Map<String, String> headers) throws IOException {
        StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        b.append("\r\n");
        out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Sends one chunk of a chunked body. */
    void chunk(byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    void raw(byte[] data) throws IOException {
        out.write(data);
        out.flush();
    }

    /** Reads the response; -1 as the status when the server closed the connection without one. */
    Response response() throws IOException {
        String status = line();
        if (status == null) return new Response(-1, "");
        long length = -1;
        boolean chunked = false;
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon < 0) continue;
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) length = Long.parseLong(value);
            if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) chunked = true;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; line()) {
                body.write(in.readNBytes((int) size));
            }
        } else {
            for (long i = 0; length < 0 || i < length; i++) {
                int c = in.read();
                if (c < 0) break;
                body.write(c);
            }
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') return b.toString().stripTrailing();
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
