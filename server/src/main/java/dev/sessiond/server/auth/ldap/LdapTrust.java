package dev.sessiond.server.auth.ldap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The CAs a directory's TLS certificate is checked against (standard PKIX validation). */
public final class LdapTrust {

    private LdapTrust() {}

    /**
     * @param store a PEM file of CA certificates, or a PKCS12/JKS trust store; empty = the
     *     JVM's trusted CAs
     * @param password the trust store's password; empty = none (PEM files have none)
     * @throws IOException if the file cannot be read
     * @throws GeneralSecurityException if it holds no usable certificate
     */
    public static X509TrustManager trustManager(Optional<Path> store, String password)
            throws IOException, GeneralSecurityException {
        KeyStore anchors = null;
        if (store.isPresent()) {
            byte[] content = Files.readAllBytes(store.get());
            anchors = isPem(content) ? pemStore(content) : keyStore(content, password);
            if (anchors.size() == 0) {
                throw new GeneralSecurityException("no certificate in " + store.get());
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }

    private static boolean isPem(byte[] content) {
        return new String(content, 0, Math.min(content.length, 4096), StandardCharsets.US_ASCII).contains("-----BEGIN ");
    }

    private static KeyStore pemStore(byte[] content) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates =
                CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(content));
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }

    private static KeyStore keyStore(byte[] content, String password) throws IOException, GeneralSecurityException {
        char[] pin = password.isEmpty() ? null : password.toCharArray();
        GeneralSecurityException last = null;
        for (String type : new String[] {"PKCS12", "JKS"}) {
            try {
                KeyStore store = KeyStore.getInstance(type);
                store.load(new ByteArrayInputStream(content), pin);
                return store;
            } catch (IOException | GeneralSecurityException e) {
                last = e instanceof GeneralSecurityException g ? g : new GeneralSecurityException(e.getMessage(), e);
            }
        }
        throw last;
    }
}
