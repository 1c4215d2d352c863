package dev.sessiond.server.transport;

import dev.sessiond.server.config.ConfigException;
import dev.sessiond.server.config.Setting;
import dev.sessiond.server.transport.TransportSettings.TlsFiles;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The server's TLS identity read from PEM files, checked before anything listens: every
 * problem (unreadable PEM, encrypted or PKCS#1 key, a key that does not belong to the
 * certificate) becomes a {@link ConfigException} naming the variable at fault.
 */
final class TlsIdentity {

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private TlsIdentity() {}

    /** Server credentials for {@code files}; mutual TLS (client certificate required) when a client CA is given. */
    static ServerCredentials serverCredentials(TlsFiles files) {
        List<X509Certificate> chain = certificates(files.certificateChain(), Setting.TLS_CERT);
        PrivateKey key = privateKey(files.privateKey());
        checkPair(key, chain.get(0));
        try {
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            identity.setKeyEntry("sessiond", key, new char[0], chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity, new char[0]);
            TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder().keyManager(keys.getKeyManagers());
            if (files.clientCa().isPresent()) {
                KeyStore roots = KeyStore.getInstance("PKCS12");
                roots.load(null, null);
                int i = 0;
                for (X509Certificate ca : certificates(files.clientCa().get(), Setting.TLS_CLIENT_CA)) {
                    roots.setCertificateEntry("client-ca-" + i++, ca);
                }
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(roots);
                builder.trustManager(trust.getTrustManagers()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(Setting.TLS_CERT.variable(), "cannot build the TLS identity: " + e.getMessage());
        }
    }

    private static List<X509Certificate> certificates(Path file, Setting setting) {
        try {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (certificates.isEmpty()) {
                throw new CertificateException("no certificate found");
            }
            return certificates;
        } catch (IOException | CertificateException e) {
            throw new ConfigException(setting.variable(), "'" + file + "' is not a PEM certificate file ("
                    + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(Setting.TLS_KEY.variable(), "'" + file + "' cannot be read: " + e.getMessage());
        }
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new ConfigException(Setting.TLS_KEY.variable(), "'" + file + "' holds no unencrypted PKCS#8 key "
                    + "(expected: -----BEGIN PRIVATE KEY-----; convert with: openssl pkcs8 -topk8 -nocrypt)");
        }
        PKCS8EncodedKeySpec spec;
        try {
            spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Setting.TLS_KEY.variable(), "'" + file + "' is not valid PEM: " + e.getMessage());
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException(Setting.TLS_KEY.variable(),
                "'" + file + "' holds a key of an unsupported kind (expected: RSA, EC or EdDSA)");
    }

    /** A key that does not belong to the certificate would only fail at the first handshake; fail at start instead. */
    private static void checkPair(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        boolean matches;
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new ConfigException(Setting.TLS_KEY.variable(), "the key does not belong to the first certificate "
                    + "of SESSIOND_TLS_CERT (" + certificate.getSubjectX500Principal() + ")");
        }
    }
}
