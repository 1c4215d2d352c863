package dev.sessiond.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made by the tests themselves (Bouncy Castle): a CA, and server and client
 * certificates it issues, written as PEM files the way operators hand them to sessiond.
 * EC P-256 keys, valid from an hour ago for a day.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate authority that issues leaf certificates. */
    public static final class Authority {
        private final X500Name name;
        private final KeyPair keys;
        /** The CA certificate as a PEM file. */
        public final Path certificate;

        private Authority(X500Name name, KeyPair keys, Path certificate) {
            this.name = name;
            this.keys = keys;
            this.certificate = certificate;
        }

        /**
         * Issues a leaf certificate for {@code commonName}, valid for {@code localhost} and
         * {@code 127.0.0.1}, and writes {@code <file>.crt} and {@code <file>.key} (PKCS#8) to {@code dir}.
         */
        public Issued issue(Path dir, String file, String commonName) {
            KeyPair leaf = newKeyPair();
            GeneralNames names = new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
            X509CertificateHolder holder = certificate(name, keys, new X500Name("CN=" + commonName), leaf, false, names);
            Path cert = write(dir.resolve(file + ".crt"), pem(holder));
            Path key = write(dir.resolve(file + ".key"), pkcs8(leaf));
            return new Issued(cert, key, leaf);
        }
    }

    /**
     * A leaf certificate and its key as PEM files.
     *
     * @param certificate the certificate
     * @param privateKey its key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY})
     */
    public record Issued(Path certificate, Path privateKey, KeyPair keys) {
        /** The same key in the traditional OpenSSL (SEC1) form, {@code BEGIN EC PRIVATE KEY}. */
        public Path traditionalKey(Path file) {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(keys);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return write(file, out.toString());
        }
    }

    private TestCertificates() {}

    /** A new self-signed CA, its certificate written to {@code dir/<file>.crt}. */
    public static Authority authority(Path dir, String file, String commonName) {
        X500Name name = new X500Name("CN=" + commonName);
        KeyPair keys = newKeyPair();
        X509CertificateHolder holder = certificate(name, keys, name, keys, true, null);
        return new Authority(name, keys, write(dir.resolve(file + ".crt"), pem(holder)));
    }

    private static X509CertificateHolder certificate(X500Name issuer, KeyPair issuerKeys, X500Name subject,
            KeyPair subjectKeys, boolean ca, GeneralNames names) {
        Instant now = Instant.now();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyAgreement));
            if (names != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, names);
            }
            return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(X509CertificateHolder holder) {
        try {
            return block("CERTIFICATE", holder.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pkcs8(KeyPair keys) {
        return block("PRIVATE KEY", keys.getPrivate().getEncoded()); // the JDK encodes private keys as PKCS#8
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
