package io.gridchain.bench.placement;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A data server on loopback whose downloads share one uplink of a fixed bandwidth, as a dataset owner's server or a
 * desktop grid's data node does: loopback alone would make every byte free and hide what placement saves. Counts the
 * bytes it sends and the downloads.
 */
final class ThrottledServer implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong downloads = new AtomicLong();
    private final long bytesPerSecond;
    /** When the uplink is free again, in System.nanoTime(): each chunk books its slot on the shared link. */
    private long linkFreeAt = System.nanoTime();

    ThrottledServer(long bytesPerSecond) throws IOException {
        this.bytesPerSecond = bytesPerSecond;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath().substring(1));
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            downloads.incrementAndGet();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int off = 0; off < body.length; off += CHUNK) {
                    int n = Math.min(CHUNK, body.length - off);
                    waitForTheLink(n);
                    out.write(body, off, n);
                    sent.addAndGet(n);
                }
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    private void waitForTheLink(int bytes) {
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            linkFreeAt = Math.max(linkFreeAt, now) + bytes * 1_000_000_000L / bytesPerSecond;
            slot = linkFreeAt;
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException("interrupted"));
            }
        }
    }

    void serve(String name, byte[] body) {
        files.put(name, body);
    }

    String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    long bytesSent() {
        return sent.get();
    }

    long downloads() {
        return downloads.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
