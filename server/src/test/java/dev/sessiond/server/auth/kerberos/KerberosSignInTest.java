package dev.sessiond.server.auth.kerberos;

import static dev.sessiond.server.testing.Errors.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import dev.sessiond.proto.v1.OpenSessionWindowsAuthRequest;
import dev.sessiond.proto.v1.OpenSessionWindowsAuthResponse;
import dev.sessiond.proto.v1.User;
import dev.sessiond.server.testing.TestDirectory;
import dev.sessiond.server.testing.TestKdc;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windows sign-in ({@code OpenSessionWindowsAuth}) with real Kerberos tickets: two KDCs on
 * loopback (realm EXAMPLE.TEST, where sessiond's service principal lives, and FOREIGN.TEST,
 * which EXAMPLE.TEST trusts), clients that log in with the JDK's Krb5LoginModule and make
 * SPNEGO / Kerberos tokens with the JDK's GSS-API, and sessiond reached through its real gRPC
 * stubs. Domain EXAMPLE also has an LDAP directory, where Kerberos users are looked up.
 *
 * <p>The JDK keeps Kerberos client settings JVM-wide ({@code java.security.krb5.conf}), so
 * this class is tagged {@code kerberos} and runs in a JVM of its own (a Surefire execution of its
 * own, see server/pom.xml); it restores the property when it is done.
 */
@Tag("kerberos")
class KerberosSignInTest {

    private static final String SERVICE = "HTTP/localhost@EXAMPLE.TEST";
    private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");
    private static final Oid KRB5 = oid("1.2.840.113554.1.2.2");
    private static final Oid KRB5_PRINCIPAL_NAME = oid("1.2.840.113554.1.2.2.1");

    @TempDir
    static Path shared;

    static TestKdc example;
    static TestKdc foreign;
    static TestDirectory directory;
    static Path keytab;
    static String previousKrb5Conf;

    @TempDir
    Path dir;

    TestServer sessiond;

    @BeforeAll
    static void startKdcsAndDirectory() throws Exception {
        example = TestKdc.start("EXAMPLE.TEST");
        foreign = TestKdc.start("FOREIGN.TEST");
        example.addPrincipal("alice", "alice-password");
        example.addPrincipal("bob", "bob-password");
        example.addPrincipal("carol", "carol-password"); // known to the KDC, not to the directory
        example.addPrincipal("HTTP/other", "other-service-password");
        keytab = shared.resolve("sessiond.keytab");
        example.addPrincipalToKeytab("HTTP/localhost", keytab.toFile());
        foreign.addPrincipal("mallory", "mallory-password");
        // FOREIGN.TEST users may get tickets for EXAMPLE.TEST services: a one-way cross-realm trust.
        example.addPrincipal("krbtgt/EXAMPLE.TEST@FOREIGN.TEST", "trust-password");
        foreign.addPrincipal("krbtgt/EXAMPLE.TEST@FOREIGN.TEST", "trust-password");

        Path krb5Conf = shared.resolve("krb5.conf");
        Files.writeString(krb5Conf, "[libdefaults]\n  default_realm = EXAMPLE.TEST\n  udp_preference_limit = 1\n"
                + "  dns_lookup_kdc = false\n  dns_lookup_realm = false\n"
                + "[realms]\n" + example.krb5ConfRealm() + foreign.krb5ConfRealm()
                + "[capaths]\n  FOREIGN.TEST = {\n    EXAMPLE.TEST = .\n  }\n");
        previousKrb5Conf = System.setProperty("java.security.krb5.conf", krb5Conf.toString());

        directory = TestDirectory.start(shared);
        directory.addUser("alice", "unused-password", "Alice Liddell");
        String bob = directory.addUser("bob", "unused-password", "Bob Admin");
        directory.setAdmin(bob, true);
    }

    @AfterAll
    static void stopKdcsAndDirectory() throws Exception {
        if (previousKrb5Conf == null) {
            System.clearProperty("java.security.krb5.conf");
        } else {
            System.setProperty("java.security.krb5.conf", previousKrb5Conf);
        }
        directory.close();
        foreign.close();
        example.close();
    }

    @AfterEach
    void stopServer() {
        if (sessiond != null) {
            sessiond.close();
        }
    }

    private TestServer start(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(directory.settings("EXAMPLE"));
        settings.put("SESSIOND_KERBEROS_KEYTAB", keytab.toString());
        settings.put("SESSIOND_KERBEROS_PRINCIPAL", SERVICE);
        settings.putAll(extra);
        sessiond = TestServer.start(dir, settings);
        return sessiond;
    }

    private OpenSessionWindowsAuthResponse open(byte[] token) {
        return sessiond.client().openSessionWindowsAuth(OpenSessionWindowsAuthRequest.newBuilder()
                .setSpnegoToken(ByteString.copyFrom(token)).setApplicationId("desktop-client").build());
    }

    private List<Map<String, Object>> events(String kind) {
        return sessiond.database().withHandle(h -> h.createQuery(
                        "SELECT user_login, auth_source, detail FROM session_events WHERE kind = :kind ORDER BY id")
                .bind("kind", kind).mapToMap().list());
    }

    @Test
    void spnegoToken_opensASessionForTheDomainUser_andMutuallyAuthenticatesTheServer() throws Exception {
        start(Map.of());
        ClientContext alice = ClientContext.of("alice@EXAMPLE.TEST", "alice-password", SERVICE, SPNEGO);

        OpenSessionWindowsAuthResponse opened = open(alice.token);

        User user = opened.getSession().getUser();
        assertThat(user.getLogin()).isEqualTo("EXAMPLE\\alice");
        assertThat(user.getDisplayName()).as("read from the domain's directory").isEqualTo("Alice Liddell");
        assertThat(user.getIsAdmin()).isFalse();
        assertThat(opened.getToken()).startsWith("sd1.");
        assertThat(opened.getSpnegoResponse().isEmpty()).isFalse();
        assertThat(alice.finish(opened.getSpnegoResponse().toByteArray()))
                .as("the client's context is established by the server's mutual-auth token").isTrue();
        assertThat(events("OPENED")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("auth_source", "kerberos"));
        assertThat(open(ClientContext.of("alice@EXAMPLE.TEST", "alice-password", SERVICE, SPNEGO).token)
                .getSession().getUser().getId()).as("the second sign-in links the same user").isEqualTo(user.getId());
    }

    @Test
    void adminGroupInTheDomainsDirectory_makesAKerberosUserAnAdministrator() throws Exception {
        start(Map.of());

        User bob = open(ClientContext.of("bob@EXAMPLE.TEST", "bob-password", SERVICE, SPNEGO).token).getSession().getUser();

        assertThat(bob.getLogin()).isEqualTo("EXAMPLE\\bob");
        assertThat(bob.getIsAdmin()).isTrue();
    }

    @Test
    void replayedToken_isInvalidCredentials() throws Exception {
        start(Map.of());
        byte[] token = ClientContext.of("alice@EXAMPLE.TEST", "alice-password", SERVICE, SPNEGO).token;
        open(token);

        assertError(() -> open(token), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");

        assertThat(events("LOGIN_FAILED")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("auth_source", "kerberos")
                        .containsEntry("detail", "INVALID_CREDENTIALS"));
    }

    @Test
    void ticketFromAForeignRealm_isInvalidCredentials_unlessItsRealmIsAccepted() throws Exception {
        start(Map.of());
        byte[] token = ClientContext.of("mallory@FOREIGN.TEST", "mallory-password", SERVICE, SPNEGO).token;

        ErrorInfo foreignRealm = assertError(() -> open(token), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        ErrorInfo garbage = assertError(() -> open("not a kerberos token".getBytes()),
                Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");

        assertThat(foreignRealm).isEqualTo(garbage);
        assertThat(events("LOGIN_FAILED")).extracting(e -> e.get("user_login"))
                .containsExactly("mallory@FOREIGN.TEST", "");

        // The very same kind of ticket is good once its realm is accepted (mapped to a domain
        // without directory): it was the realm that was refused.
        sessiond.close();
        start(Map.of("SESSIOND_KERBEROS_REALMS", "EXAMPLE.TEST=EXAMPLE,FOREIGN.TEST=PARTNER"));
        User mallory = open(ClientContext.of("mallory@FOREIGN.TEST", "mallory-password", SERVICE, SPNEGO).token)
                .getSession().getUser();
        assertThat(mallory.getLogin()).isEqualTo("PARTNER\\mallory");
        assertThat(mallory.getDisplayName()).isEqualTo("PARTNER\\mallory");
        assertThat(mallory.getIsAdmin()).isFalse();
    }

    @Test
    void kerberosTokens_framedOrBare_areAcceptedLikeSpnego() throws Exception {
        start(Map.of());
        ClientContext framed = ClientContext.of("alice@EXAMPLE.TEST", "alice-password", SERVICE, KRB5);
        byte[] bareApReq = bareApReq(ClientContext.of("alice@EXAMPLE.TEST", "alice-password", SERVICE, KRB5).token);

        OpenSessionWindowsAuthResponse viaFramed = open(framed.token);
        OpenSessionWindowsAuthResponse viaBare = open(bareApReq);

        assertThat(viaFramed.getSession().getUser().getLogin()).isEqualTo("EXAMPLE\\alice");
        assertThat(framed.finish(viaFramed.getSpnegoResponse().toByteArray())).isTrue();
        assertThat(viaBare.getSession().getUser().getLogin()).isEqualTo("EXAMPLE\\alice");
    }

    @Test
    void ticketForAnotherService_isInvalidCredentials() throws Exception {
        start(Map.of());
        byte[] token = ClientContext.of("alice@EXAMPLE.TEST", "alice-password", "HTTP/other@EXAMPLE.TEST", SPNEGO).token;

        assertError(() -> open(token), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
    }

    @Test
    void kerberosUserUnknownToTheDomainsDirectory_isInvalidCredentials() throws Exception {
        start(Map.of());
        byte[] token = ClientContext.of("carol@EXAMPLE.TEST", "carol-password", SERVICE, SPNEGO).token;

        assertError(() -> open(token), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        assertThat(events("LOGIN_FAILED")).extracting(e -> e.get("user_login")).containsExactly("EXAMPLE\\\\carol");
    }

    @Test
    void emptyToken_isAnInvalidArgument() {
        start(Map.of());

        ErrorInfo info = assertError(() -> open(new byte[0]), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");

        assertThat(info.getMetadataMap()).containsEntry("field", "spnego_token");
    }

    /** Strips the GSS-API framing (RFC 2743 §3.1) off a Kerberos mechanism token, leaving the AP-REQ. */
    private static byte[] bareApReq(byte[] framed) {
        int offset = 1;
        int lengthByte = framed[offset++] & 0xff;
        if (lengthByte >= 0x80) {
            offset += lengthByte & 0x7f;
        }
        offset += 2 + framed[offset + 1]; // the mechanism OID
        offset += 2; // TOK_ID
        byte[] apReq = Arrays.copyOfRange(framed, offset, framed.length);
        assertThat(apReq[0] & 0xff).as("AP-REQ tag").isEqualTo(0x6e);
        return apReq;
    }

    /** A client: logged in to its KDC (JAAS Krb5LoginModule), with its first token for the service. */
    private record ClientContext(Subject subject, GSSContext context, byte[] token) {

        static ClientContext of(String principal, String password, String service, Oid mechanism) throws Exception {
            Subject subject = new Subject();
            Configuration jaas = new Configuration() {
                @Override
                public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                    return new AppConfigurationEntry[] {new AppConfigurationEntry(
                            "com.sun.security.auth.module.Krb5LoginModule",
                            AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                            Map.of("principal", principal, "refreshKrb5Config", "true", "isInitiator", "true"))};
                }
            };
            LoginContext login = new LoginContext("sessiond-test", subject, callbacks -> {
                for (Callback callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(principal);
                    } else if (callback instanceof PasswordCallback secret) {
                        secret.setPassword(password.toCharArray());
                    }
                }
            }, jaas);
            login.login();
            GSSManager manager = GSSManager.getInstance();
            GSSContext context = as(subject, () -> manager.createContext(
                    manager.createName(service, KRB5_PRINCIPAL_NAME), mechanism, null, GSSContext.DEFAULT_LIFETIME));
            context.requestMutualAuth(true);
            byte[] token = as(subject, () -> context.initSecContext(new byte[0], 0, 0));
            return new ClientContext(subject, context, token);
        }

        /** Hands the server's response to the client's context; whether it is then established. */
        boolean finish(byte[] response) throws Exception {
            as(subject, () -> context.initSecContext(response, 0, response.length));
            return context.isEstablished();
        }

        private static <T> T as(Subject subject, Callable<T> action) throws Exception {
            try {
                return Subject.callAs(subject, action);
            } catch (CompletionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    private static Oid oid(String dotted) {
        try {
            return new Oid(dotted);
        } catch (org.ietf.jgss.GSSException e) {
            throw new AssertionError(e);
        }
    }
}
