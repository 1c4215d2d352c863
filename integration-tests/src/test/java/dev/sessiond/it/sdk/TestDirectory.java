package dev.sessiond.it.sdk;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldif.LDIFException;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import com.unboundid.util.ssl.cert.ManageCertificates;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real LDAP directory on loopback: UnboundID's in-memory directory server with one listener
 * that offers StartTLS, its certificate for {@code 127.0.0.1} generated here. A trimmed copy of
 * the server module's {@code testing/TestDirectory}, whose test classes this module cannot see.
 *
 * <p>Its tree: {@code dc=example,dc=test} with {@code ou=people} (users by {@code uid}) and
 * {@code ou=services} (sessiond's service account).
 */
final class TestDirectory implements AutoCloseable {

    static final String BASE_DN = "dc=example,dc=test";
    static final String PEOPLE_DN = "ou=people," + BASE_DN;
    static final String SERVICE_DN = "cn=sessiond,ou=services," + BASE_DN;
    static final String SERVICE_PASSWORD = "service-secret";
    private static final String KEYSTORE_PASSWORD = "keystore-secret";

    private final InMemoryDirectoryServer server;
    private final Path caPem;

    private TestDirectory(InMemoryDirectoryServer server, Path caPem) {
        this.server = server;
        this.caPem = caPem;
    }

    /** Starts a directory whose certificate (and the PEM trust store for it) are written under {@code dir}. */
    static TestDirectory start(Path dir) throws Exception {
        Path keystore = dir.resolve("directory.p12");
        Path caPem = dir.resolve("directory-ca.pem");
        manageCertificates("generate-self-signed-certificate", "--keystore", keystore.toString(),
                "--keystore-password", KEYSTORE_PASSWORD, "--keystore-type", "PKCS12", "--alias", "server",
                "--subject-dn", "CN=localhost", "--subject-alternative-name-dns", "localhost",
                "--subject-alternative-name-ip-address", "127.0.0.1", "--days-valid", "2",
                "--key-algorithm", "EC", "--key-size-bits", "256", "--signature-algorithm", "SHA256withECDSA");
        manageCertificates("export-certificate", "--keystore", keystore.toString(), "--keystore-password",
                KEYSTORE_PASSWORD, "--alias", "server", "--output-file", caPem.toString(), "--output-format", "PEM");
        SSLUtil ssl = new SSLUtil(
                new KeyStoreKeyManager(keystore.toFile(), KEYSTORE_PASSWORD.toCharArray(), "PKCS12", "server"),
                new TrustAllTrustManager());

        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE_DN);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig(
                "plain", InetAddress.getLoopbackAddress(), 0, ssl.createSSLSocketFactory()));
        config.setEnforceAttributeSyntaxCompliance(true);
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE_DN, "objectClass: top", "objectClass: domain", "dc: example");
        for (String ou : new String[] {"people", "services"}) {
            server.add("dn: ou=" + ou + "," + BASE_DN, "objectClass: top", "objectClass: organizationalUnit", "ou: " + ou);
        }
        server.add("dn: " + SERVICE_DN, "objectClass: top", "objectClass: person", "cn: sessiond", "sn: sessiond",
                "userPassword: " + SERVICE_PASSWORD);
        server.startListening();
        return new TestDirectory(server, caPem);
    }

    private static void manageCertificates(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultCode result = ManageCertificates.main(null, out, out, args);
        if (result != ResultCode.SUCCESS) {
            throw new IllegalStateException("manage-certificates " + args[0] + " failed: " + out);
        }
    }

    /** Adds {@code uid=<uid>,ou=people,...} with a password and a display name. */
    void addUser(String uid, String password, String displayName) throws LDAPException, LDIFException {
        server.add("dn: uid=" + uid + "," + PEOPLE_DN, "objectClass: top", "objectClass: person",
                "objectClass: organizationalPerson", "objectClass: inetOrgPerson", "uid: " + uid,
                "cn: " + displayName, "sn: " + displayName, "displayName: " + displayName, "userPassword: " + password);
    }

    /** sessiond's settings for domain {@code domain} in this directory: StartTLS, searching as the service account. */
    Map<String, String> settings(String domain) {
        String prefix = "SESSIOND_LDAP_" + domain + "_";
        return Map.of(
                "SESSIOND_LDAP_DOMAINS", domain,
                prefix + "URL", "ldap://127.0.0.1:" + server.getListenPort("plain"),
                prefix + "BASE_DN", BASE_DN,
                prefix + "USER_FILTER", "(&(objectClass=inetOrgPerson)(uid={0}))",
                prefix + "BIND_DN", SERVICE_DN,
                prefix + "BIND_PASSWORD", SERVICE_PASSWORD,
                prefix + "TRUST_STORE", caPem.toString(),
                prefix + "CONNECT_TIMEOUT", "2s",
                prefix + "RESPONSE_TIMEOUT", "2s");
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
