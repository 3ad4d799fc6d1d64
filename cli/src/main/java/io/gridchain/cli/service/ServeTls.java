package io.gridchain.cli.service;

import io.gridchain.cli.UserError;
import io.gridchain.protocol.http.Tls;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Option;

/** A service's HTTPS certificate and key, as a picocli mixin: both given, it serves https only. */
public final class ServeTls {
    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve HTTPS only, with this PEM certificate (chain, leaf first); needs --tls-key.")
    Path cert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The certificate's PEM private key (PKCS#8, RSA or EC, unencrypted; docs/OPERATIONS.md).")
    Path key;

    /** The server's TLS context, null for plain HTTP; a one-line usage error for a missing or unusable file. */
    public SSLContext context() {
        if (cert == null && key == null) return null;
        if (cert == null || key == null) {
            throw UserError.usage("--tls-cert and --tls-key go together: pass both, or neither for plain HTTP");
        }
        try {
            return Tls.serverContext(cert.toAbsolutePath(), key.toAbsolutePath());
        } catch (Tls.Invalid e) {
            throw UserError.usage(e.getMessage());
        }
    }
}
