package io.gridchain.cli.config;

import io.gridchain.cli.UserError;
import io.gridchain.protocol.http.Tls;
import java.nio.file.Path;

/**
 * The private CA the process's HTTPS clients trust besides the JVM's: {@code --tls-ca FILE}, else
 * {@value Tls#CA_ENV}. Installed process-wide before any client is built (the CLI's and the worker's clients are
 * built after the options are read).
 */
final class ClientTrust {
    private static Path installed;

    private ClientTrust() {}

    /** Trusts {@code flag}'s CA, else the environment's; once per file. */
    static synchronized void install(Path flag) {
        Path file = flag != null ? flag.toAbsolutePath() : null;
        String env = System.getenv(Tls.CA_ENV);
        if (file == null && (env == null || env.isBlank())) return;
        Path wanted = file != null ? file : Path.of(env.strip()).toAbsolutePath();
        if (wanted.equals(installed)) return;
        try {
            if (file != null) Tls.trustProcessWide(file);
            else Tls.trustFromEnvironment();
        } catch (Tls.Invalid e) {
            throw UserError.usage((file != null ? "--tls-ca: " : "") + e.getMessage());
        }
        installed = wanted;
    }
}
