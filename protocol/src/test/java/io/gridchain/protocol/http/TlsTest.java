package io.gridchain.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PEM files as scripts/tls-ca.sh (openssl 3) writes them, served and trusted over a real TLS socket. */
class TlsTest {
    @TempDir Path dir;

    /** Runs scripts/tls-ca.sh: a CA and a server certificate for localhost and 127.0.0.1 in {@code out}. */
    static Path makeCa(Path out, String keyType) throws IOException, InterruptedException {
        Path script = Path.of("..", "scripts", "tls-ca.sh").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), out.toString()).redirectErrorStream(true);
        pb.environment().put("TLS_KEY", keyType);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ec", "rsa"})
    void aClientTrustingTheCaCompletesAHandshakeAndOneTrustingOnlyTheJvmIsRefused(String keyType) throws Exception {
        Path ca = makeCa(dir.resolve(keyType), keyType);
        SSLContext server = Tls.serverContext(ca.resolve("server.pem"), ca.resolve("server.key"));
        try (SSLServerSocket socket = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 5,
                InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> echoOnce(socket));
            assertThat(roundTrip(Tls.clientContext(ca.resolve("ca.pem")), socket.getLocalPort())).isEqualTo(42);

            CompletableFuture.runAsync(() -> echoOnce(socket));
            assertThatThrownBy(() -> roundTrip(SSLContext.getDefault() /* the JVM CAs only */, socket.getLocalPort()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() throws Exception {
        Path a = makeCa(dir.resolve("a"), "ec");
        Path b = makeCa(dir.resolve("b"), "ec");
        assertThatThrownBy(() -> Tls.serverContext(a.resolve("server.pem"), b.resolve("server.key")))
                .isInstanceOf(Tls.Invalid.class)
                .hasMessageContaining(b.resolve("server.key").toString())
                .hasMessageContaining("is not the key of the certificate in " + a.resolve("server.pem"));
        // an RSA key for an EC certificate
        Path rsa = makeCa(dir.resolve("rsa"), "rsa");
        assertThatThrownBy(() -> Tls.serverContext(a.resolve("server.pem"), rsa.resolve("server.key")))
                .isInstanceOf(Tls.Invalid.class).hasMessageContaining("EC key");
    }

    @Test
    void missingSwappedAndOldFormatFilesAreOneLineErrorsSayingWhatToDo() throws Exception {
        Path ca = makeCa(dir.resolve("ca"), "rsa");
        Path cert = ca.resolve("server.pem");
        Path key = ca.resolve("server.key");
        assertThatThrownBy(() -> Tls.serverContext(dir.resolve("nope.pem"), key))
                .hasMessage(dir.resolve("nope.pem") + " does not exist: pass an existing PEM file");
        assertThatThrownBy(() -> Tls.serverContext(key, cert)).hasMessageContaining("holds no PEM certificate");
        assertThatThrownBy(() -> Tls.serverContext(cert, cert)).hasMessageContaining("holds no PEM private key");
        assertThatThrownBy(() -> Tls.clientContext(dir)).hasMessageStartingWith("cannot read " + dir);

        Path old = dir.resolve("old.key");
        Process p = new ProcessBuilder("openssl", "pkey", "-in", key.toString(), "-traditional", "-out", old.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(old)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThatThrownBy(() -> Tls.serverContext(cert, old)).isInstanceOf(Tls.Invalid.class)
                .hasMessageContaining("older RSA format, not PKCS#8").hasMessageContaining("openssl pkcs8 -topk8");
    }

    private static int roundTrip(SSLContext client, int port) throws IOException {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
            SSLParameters params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name 127.0.0.1
            s.setSSLParameters(params);
            OutputStream out = s.getOutputStream();
            out.write(42);
            out.flush();
            return s.getInputStream().read();
        }
    }

    private static void echoOnce(SSLServerSocket socket) {
        try (var s = socket.accept()) {
            InputStream in = s.getInputStream();
            s.getOutputStream().write(in.read());
        } catch (IOException e) {
            // the refused client's handshake fails here too
        }
    }
}
