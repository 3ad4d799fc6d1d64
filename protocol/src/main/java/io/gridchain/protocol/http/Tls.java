package io.gridchain.protocol.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS from PEM files, as openssl writes them: a service's certificate chain and PKCS#8 key (RSA or EC) become the
 * {@link SSLContext} its HTTPS connector serves, and a client trusts a private CA besides the JVM's own.
 *
 * <p>Clients trust process-wide ({@link #trustProcessWide}): the JDK's HTTP clients take {@link
 * SSLContext#getDefault()} when they are built, so installing it once at start, before any client exists, reaches
 * every client of the process (the CLI's, the worker's) without threading a context through each of them.
 *
 * <p>Every failure is an {@link Invalid} whose message is one line naming the file and what to do.
 */
public final class Tls {
    /** Environment variable naming a PEM file of CA certificates every client of the process trusts. */
    public static final String CA_ENV = "GRIDCHAIN_TLS_CA";

    /** A file that cannot serve: missing, unreadable, not PEM, or a key that is not the certificate's. */
    public static final class Invalid extends IllegalArgumentException {
        public Invalid(String message) {
            super(message);
        }
    }

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");
    private static final String PKCS8_HINT = ": convert it with `openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem`";

    private Tls() {}

    /** The context a server presents: {@code certFile}'s chain (leaf first) and its key in {@code keyFile}. */
    public static SSLContext serverContext(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey().getAlgorithm());
        if (!matches(key, chain.get(0))) {
            throw new Invalid("the key in " + keyFile + " is not the key of the certificate in " + certFile
                    + ": pass the key the certificate was made for");
        }
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new Invalid("cannot serve TLS with " + certFile + " and " + keyFile + ": " + e.getMessage());
        }
    }

    /** A client context trusting the JVM's CAs and those in {@code caFile} (PEM, one or more certificates). */
    public static SSLContext clientContext(Path caFile) {
        List<X509Certificate> cas = certificates(caFile);
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int n = 0;
            for (X509Certificate c : jvmTrust().getAcceptedIssuers()) trusted.setCertificateEntry("jvm-" + n++, c);
            for (X509Certificate c : cas) trusted.setCertificateEntry("ca-" + n++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new Invalid("cannot trust the CA in " + caFile + ": " + e.getMessage());
        }
    }

    /**
     * Makes every client built from now on in this process trust {@code caFile} besides the JVM's CAs: the
     * default {@link SSLContext} (java.net.http) and {@link HttpsURLConnection}'s default socket factory.
     */
    public static void trustProcessWide(Path caFile) {
        SSLContext ctx = clientContext(caFile);
        SSLContext.setDefault(ctx);
        HttpsURLConnection.setDefaultSSLSocketFactory(ctx.getSocketFactory());
    }

    /** {@link #trustProcessWide} for the file {@value #CA_ENV} names, if it is set; returns that file or null. */
    public static Path trustFromEnvironment() {
        String file = System.getenv(CA_ENV);
        if (file == null || file.isBlank()) return null;
        Path path = Path.of(file.strip());
        try {
            trustProcessWide(path);
        } catch (Invalid e) {
            throw new Invalid(CA_ENV + ": " + e.getMessage());
        }
        return path;
    }

    /** The certificates of a PEM file, in order; at least one. */
    static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (!b.type().equals("CERTIFICATE")) continue;
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        } catch (CertificateException e) {
            throw new Invalid(file + " holds a malformed certificate: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new Invalid(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----): pass the certificate"
                    + " file, not the key");
        }
        return out;
    }

    /** The PKCS#8 private key of a PEM file, of the certificate's {@code algorithm} (RSA or EC). */
    static PrivateKey privateKey(Path file, String algorithm) {
        for (Block b : blocks(file)) {
            switch (b.type()) {
                case "PRIVATE KEY" -> {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(b.der()));
                    } catch (GeneralSecurityException e) {
                        throw new Invalid(file + " does not hold an " + algorithm + " key as the certificate needs ("
                                + e.getMessage() + "): pass the key the certificate was made for");
                    }
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new Invalid(file + " holds an encrypted key: the service needs it"
                        + " unencrypted (readable by its user only)" + PKCS8_HINT);
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new Invalid(file + " holds a key in the older "
                        + b.type().replace(" PRIVATE KEY", "") + " format, not PKCS#8" + PKCS8_HINT);
                default -> { }
            }
        }
        throw new Invalid(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----): pass the key file, not"
                + " the certificate");
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
        try {
            byte[] probe = "gridchain tls key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new Invalid(file + " does not exist: pass an existing PEM file");
        } catch (IOException e) {
            throw new Invalid("cannot read " + file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()) + " (check its permissions)");
        }
        List<Block> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new Invalid(file + " holds a malformed PEM block " + m.group(1) + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static X509TrustManager jvmTrust() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) return x;
        }
        throw new GeneralSecurityException("the JVM has no X.509 trust manager");
    }
}
