package dev.sessiond.server.testing;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldif.LDIFException;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import com.unboundid.util.ssl.cert.ManageCertificates;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * A real LDAP directory on loopback: UnboundID's in-memory directory server with a plain
 * listener that offers StartTLS and an LDAPS listener, both with a self-signed certificate for
 * {@code localhost} / {@code 127.0.0.1} generated here. It records every connection, simple
 * bind and search filter it sees, so tests can prove what reached it.
 *
 * <p>Its tree: {@code dc=example,dc=test} with {@code ou=people} (users by {@code uid}),
 * {@code ou=groups} (the admin group, a groupOfNames) and {@code ou=services} (sessiond's
 * service account).
 */
public final class TestDirectory implements AutoCloseable {

    public static final String BASE_DN = "dc=example,dc=test";
    public static final String PEOPLE_DN = "ou=people," + BASE_DN;
    public static final String ADMIN_GROUP_DN = "cn=sessiond-admins,ou=groups," + BASE_DN;
    public static final String SERVICE_DN = "cn=sessiond,ou=services," + BASE_DN;
    public static final String SERVICE_PASSWORD = "service-secret";
    private static final String KEYSTORE_PASSWORD = "keystore-secret";

    /** The trust store that makes sessiond trust this directory's certificate (PEM). */
    public final Path caPem;
    /** The trust store for the {@link #localhostOnlyPort()} listener, whose certificate names only {@code localhost}. */
    public final Path localhostOnlyCaPem;
    /** DNs of the simple binds the directory received, in order. */
    public final List<String> binds = new CopyOnWriteArrayList<>();
    /** The filters of the searches it received, in order. */
    public final List<String> searchFilters = new CopyOnWriteArrayList<>();
    /** Connections it accepted. */
    public final List<String> connections = new CopyOnWriteArrayList<>();

    private final InMemoryDirectoryServer server;

    private TestDirectory(InMemoryDirectoryServer server, Path caPem, Path localhostOnlyCaPem) {
        this.server = server;
        this.caPem = caPem;
        this.localhostOnlyCaPem = localhostOnlyCaPem;
    }

    /** Starts a directory whose certificate (and trust store) are written under {@code dir}. */
    public static TestDirectory start(Path dir) throws Exception {
        Path keystore = dir.resolve("directory.p12");
        Path caPem = dir.resolve("directory-ca.pem");
        certificates(keystore, caPem, "localhost", "127.0.0.1");
        SSLUtil serverSsl = serverSsl(keystore);
        Path localhostOnlyKeystore = dir.resolve("localhost-only.p12");
        Path localhostOnlyCaPem = dir.resolve("localhost-only-ca.pem");
        certificates(localhostOnlyKeystore, localhostOnlyCaPem, "localhost", null);
        SSLUtil localhostOnlySsl = serverSsl(localhostOnlyKeystore);

        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE_DN);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        config.setListenerConfigs(
                InMemoryListenerConfig.createLDAPConfig("plain", loopback, 0, serverSsl.createSSLSocketFactory()),
                InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0,
                        serverSsl.createSSLServerSocketFactory(), serverSsl.createSSLSocketFactory()),
                InMemoryListenerConfig.createLDAPSConfig("ldaps-localhost-only", loopback, 0,
                        localhostOnlySsl.createSSLServerSocketFactory(), localhostOnlySsl.createSSLSocketFactory()));
        TestDirectory[] self = new TestDirectory[1];
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) {
                self[0].binds.add(request.getRequest().getBindDN());
            }

            @Override
            public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
                self[0].searchFilters.add(request.getRequest().getFilter().toString());
            }
        });
        config.setAccessLogHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage() != null && record.getMessage().startsWith("CONNECT ")) {
                    self[0].connections.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        config.setEnforceAttributeSyntaxCompliance(true);

        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        self[0] = new TestDirectory(server, caPem, localhostOnlyCaPem);
        server.add("dn: " + BASE_DN, "objectClass: top", "objectClass: domain", "dc: example");
        for (String ou : new String[] {"people", "groups", "services"}) {
            server.add("dn: ou=" + ou + "," + BASE_DN, "objectClass: top", "objectClass: organizationalUnit", "ou: " + ou);
        }
        server.add("dn: " + SERVICE_DN, "objectClass: top", "objectClass: person", "cn: sessiond", "sn: sessiond",
                "userPassword: " + SERVICE_PASSWORD);
        // groupOfNames needs a member: the service account stands in until a user joins.
        server.add("dn: " + ADMIN_GROUP_DN, "objectClass: top", "objectClass: groupOfNames", "cn: sessiond-admins",
                "member: " + SERVICE_DN);
        server.startListening();
        return self[0];
    }

    private static SSLUtil serverSsl(Path keystore) throws Exception {
        return new SSLUtil(
                new KeyStoreKeyManager(keystore.toFile(), KEYSTORE_PASSWORD.toCharArray(), "PKCS12", "server"),
                new TrustAllTrustManager());
    }

    /**
     * Writes a self-signed certificate for the given names into a PKCS12 key store, and it alone as PEM.
     *
     * @param ipAddress an IP address it names as well; null = none
     */
    public static void certificates(Path keystore, Path pem, String dnsName, String ipAddress) {
        List<String> args = new ArrayList<>(List.of("generate-self-signed-certificate", "--keystore", keystore.toString(),
                "--keystore-password", KEYSTORE_PASSWORD, "--keystore-type", "PKCS12", "--alias", "server",
                "--subject-dn", "CN=" + dnsName, "--subject-alternative-name-dns", dnsName, "--days-valid", "2",
                "--key-algorithm", "EC", "--key-size-bits", "256", "--signature-algorithm", "SHA256withECDSA"));
        if (ipAddress != null) {
            args.addAll(List.of("--subject-alternative-name-ip-address", ipAddress));
        }
        manageCertificates(args.toArray(String[]::new));
        manageCertificates("export-certificate", "--keystore", keystore.toString(), "--keystore-password",
                KEYSTORE_PASSWORD, "--alias", "server", "--output-file", pem.toString(), "--output-format", "PEM");
    }

    private static void manageCertificates(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultCode result = ManageCertificates.main(null, out, out, args);
        if (result != ResultCode.SUCCESS) {
            throw new IllegalStateException("manage-certificates " + args[0] + " failed: " + out);
        }
    }

    /** The plain listener's port (it offers StartTLS). */
    public int plainPort() {
        return server.getListenPort("plain");
    }

    public int ldapsPort() {
        return server.getListenPort("ldaps");
    }

    /** An LDAPS listener whose certificate names {@code localhost} but not {@code 127.0.0.1}. */
    public int localhostOnlyPort() {
        return server.getListenPort("ldaps-localhost-only");
    }

    /** Adds {@code uid=<uid>,ou=people,...} with a password and a display name. */
    public String addUser(String uid, String password, String displayName) throws LDAPException, LDIFException {
        String dn = "uid=" + uid + "," + PEOPLE_DN;
        server.add("dn: " + dn, "objectClass: top", "objectClass: person", "objectClass: organizationalPerson",
                "objectClass: inetOrgPerson", "uid: " + uid, "cn: " + displayName, "sn: " + displayName,
                "displayName: " + displayName, "userPassword: " + password);
        return dn;
    }

    public void setAdmin(String userDn, boolean admin) throws LDAPException {
        server.modify(ADMIN_GROUP_DN, new Modification(
                admin ? ModificationType.ADD : ModificationType.DELETE, "member", userDn));
    }

    public void setPassword(String userDn, String password) throws LDAPException {
        server.modify(userDn, new Modification(ModificationType.REPLACE, "userPassword", password));
    }

    /** Settings for domain {@code domain} that reach this directory through StartTLS, searching as the service account. */
    public Map<String, String> settings(String domain) {
        String prefix = "SESSIOND_LDAP_" + domain + "_";
        return Map.of(
                "SESSIOND_LDAP_DOMAINS", domain,
                prefix + "URL", "ldap://127.0.0.1:" + plainPort(),
                prefix + "BASE_DN", BASE_DN,
                prefix + "USER_FILTER", "(&(objectClass=inetOrgPerson)(uid={0}))",
                prefix + "BIND_DN", SERVICE_DN,
                prefix + "BIND_PASSWORD", SERVICE_PASSWORD,
                prefix + "ADMIN_GROUP", ADMIN_GROUP_DN,
                prefix + "TRUST_STORE", caPem.toString(),
                prefix + "CONNECT_TIMEOUT", "2s",
                prefix + "RESPONSE_TIMEOUT", "2s");
    }

    /** Forgets what was recorded so far. */
    public void clearRecords() {
        binds.clear();
        searchFilters.clear();
        connections.clear();
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
