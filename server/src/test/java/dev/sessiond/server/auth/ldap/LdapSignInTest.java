package dev.sessiond.server.auth.ldap;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import com.google.rpc.ErrorInfo;
import dev.sessiond.proto.v1.CreateUserRequest;
import dev.sessiond.proto.v1.LicenseType;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.UpdateUserRequest;
import dev.sessiond.proto.v1.User;
import dev.sessiond.server.testing.TestDirectory;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Domain sign-in against a real LDAP directory on loopback, through the real gRPC stubs: the
 * directory is UnboundID's in-memory server, reached over StartTLS (and LDAPS) with a
 * certificate made for this test.
 */
class LdapSignInTest {

    private static final String CORP = "CORP";

    @TempDir
    static Path shared;

    static TestDirectory directory;
    static String aliceDn;
    static String bobDn;

    @TempDir
    Path dir;

    TestServer sessiond;

    @BeforeAll
    static void startDirectory() throws Exception {
        directory = TestDirectory.start(shared);
        aliceDn = directory.addUser("alice", "alice-password", "Alice Liddell");
        bobDn = directory.addUser("bob", "bob-password", "Bob Admin");
        directory.addUser("carol", "carol-password", "Carol");
        directory.addUser("dave", "dave-password", "Dave");
        directory.addUser("frank", "frank-password", "Frank");
        directory.setAdmin(bobDn, true);
    }

    @AfterAll
    static void stopDirectory() {
        directory.close();
    }

    @BeforeEach
    void clearDirectoryRecords() {
        directory.clearRecords();
    }

    @AfterEach
    void stopServer() {
        if (sessiond != null) {
            sessiond.close();
        }
    }

    private TestServer start(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(directory.settings(CORP));
        settings.put("SESSIOND_LDAP_CORP_ALIASES", "corp.example.test");
        settings.putAll(extra);
        sessiond = TestServer.start(dir, settings);
        return sessiond;
    }

    private OpenSessionResponse open(String login, String password, String domain) {
        return sessiond.client().openSession(OpenSessionRequest.newBuilder()
                .setLogin(login).setPassword(password).setDomain(domain).setApplicationId("desktop-client").build());
    }

    private List<Map<String, Object>> events(String kind) {
        return sessiond.database().withHandle(h -> h.createQuery(
                        "SELECT user_login, auth_source, detail, user_id FROM session_events WHERE kind = :kind ORDER BY id")
                .bind("kind", kind).mapToMap().list());
    }

    @Test
    void firstSignIn_bindsAsTheUserAndProvisionsThemWithTheDefaultLicence() {
        start(Map.of("SESSIOND_DEFAULT_LICENSE_TYPE", "concurrent"));

        OpenSessionResponse opened = open("alice", "alice-password", CORP);

        User user = opened.getSession().getUser();
        assertThat(user.getLogin()).isEqualTo("CORP\\alice");
        assertThat(user.getDisplayName()).isEqualTo("Alice Liddell");
        assertThat(user.getIsAdmin()).isFalse();
        assertThat(user.getIsService()).isFalse();
        assertThat(user.getLicenseType()).isEqualTo(LicenseType.LICENSE_TYPE_CONCURRENT);
        assertThat(directory.binds).containsExactly(TestDirectory.SERVICE_DN, aliceDn);
        assertThat(directory.searchFilters).first().asString().contains("(uid=alice)");
        assertThat(events("OPENED")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("user_login", "CORP\\\\alice") // stored escaped
                        .containsEntry("auth_source", "ldap"));
        assertThat(events("USER_CHANGED")).extracting(e -> e.get("user_login")).contains("CORP\\\\alice");
        // The provisioned user has no sessiond password: it cannot sign in locally.
        assertError(() -> sessiond.login("CORP\\alice", "", "cli"), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
    }

    @Test
    void laterSignIns_linkTheSameUser_whicheverWayTheDomainIsWritten() {
        start(Map.of());

        String id = open("alice", "alice-password", CORP).getSession().getUser().getId();

        assertThat(open("CORP\\alice", "alice-password", "").getSession().getUser().getId()).isEqualTo(id);
        assertThat(open("corp\\Alice", "alice-password", "").getSession().getUser().getId()).isEqualTo(id);
        assertThat(open("alice@corp.example.test", "alice-password", "").getSession().getUser().getId()).isEqualTo(id);
        assertThat(open("alice@CORP", "alice-password", "").getSession().getUser().getId()).isEqualTo(id);
        assertThat(open("alice@corp.example.test", "alice-password", "corp.example.test").getSession().getUser().getId())
                .isEqualTo(id);
        long users = sessiond.database().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM users WHERE login_key = 'corp\\alice'").mapTo(Long.class).one());
        assertThat(users).isEqualTo(1);
    }

    @Test
    void signIn_linksToADomainUserAnAdministratorCreatedBeforehand() {
        start(Map.of());
        User precreated = as(sessiond.adminToken(), sessiond.users()).createUser(CreateUserRequest.newBuilder()
                .setLogin("CORP\\carol").setDisplayName("Carol (finance)")
                .setLicenseType(LicenseType.LICENSE_TYPE_CONCURRENT).build()).getUser();

        User signedIn = open("carol", "carol-password", CORP).getSession().getUser();

        assertThat(signedIn.getId()).isEqualTo(precreated.getId());
        assertThat(signedIn.getDisplayName()).isEqualTo("Carol (finance)");
        assertThat(signedIn.getLicenseType()).isEqualTo(LicenseType.LICENSE_TYPE_CONCURRENT);
    }

    @Test
    void adminGroupMembership_decidesIsAdminAtEverySignIn() throws Exception {
        start(Map.of());

        assertThat(open("bob", "bob-password", CORP).getSession().getUser().getIsAdmin()).isTrue();
        assertThat(open("dave", "dave-password", CORP).getSession().getUser().getIsAdmin()).isFalse();

        String daveDn = "uid=dave," + TestDirectory.PEOPLE_DN;
        directory.setAdmin(daveDn, true);
        try {
            assertThat(open("dave", "dave-password", CORP).getSession().getUser().getIsAdmin()).isTrue();
        } finally {
            directory.setAdmin(daveDn, false);
        }
        assertThat(open("dave", "dave-password", CORP).getSession().getUser().getIsAdmin()).isFalse();
    }

    @Test
    void wrongPasswordAndUnknownUser_getTheSameAnswer_andAreRecordedAsLdapFailures() {
        start(Map.of());

        ErrorInfo wrong = assertError(() -> open("alice", "not-her-password", CORP),
                Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        ErrorInfo unknown = assertError(() -> open("mallory", "whatever", CORP),
                Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        ErrorInfo unknownDomain = assertError(() -> open("OTHER\\alice", "alice-password", ""),
                Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");

        assertThat(wrong).isEqualTo(unknown).isEqualTo(unknownDomain);
        assertThat(events("LOGIN_FAILED"))
                .extracting(e -> e.get("user_login") + " " + e.get("auth_source") + " " + e.get("detail"))
                .containsExactly(
                        "CORP\\\\alice ldap INVALID_CREDENTIALS",
                        "CORP\\\\mallory ldap INVALID_CREDENTIALS",
                        "OTHER\\\\alice ldap INVALID_CREDENTIALS");
    }

    @Test
    void emptyPassword_isRefusedBeforeAnythingReachesTheDirectory() {
        start(Map.of());

        assertError(() -> open("alice", "", CORP), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        assertError(() -> open("CORP\\bob", "", ""), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");

        // An empty-password simple bind is an anonymous bind, which succeeds: none may be sent.
        assertThat(directory.connections).isEmpty();
        assertThat(directory.binds).isEmpty();
        assertThat(directory.searchFilters).isEmpty();
        assertThat(events("LOGIN_FAILED")).hasSize(2);
    }

    @Test
    void filterInput_isEscaped() {
        start(Map.of());

        assertError(() -> open("*", "alice-password", CORP), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        assertError(() -> open("alice)(uid=*", "alice-password", CORP), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");

        assertThat(directory.searchFilters).containsExactly(
                "(&(objectClass=inetOrgPerson)(uid=\\2a))",
                "(&(objectClass=inetOrgPerson)(uid=alice\\29\\28uid=\\2a))");
        assertThat(directory.binds).containsOnly(TestDirectory.SERVICE_DN);
    }

    @Test
    void dnInput_isEscaped() {
        start(Map.of(
                "SESSIOND_LDAP_CORP_USER_FILTER", "",
                "SESSIOND_LDAP_CORP_USER_DN_PATTERN", "uid={0}," + TestDirectory.PEOPLE_DN,
                "SESSIOND_LDAP_CORP_BIND_DN", "",
                "SESSIOND_LDAP_CORP_BIND_PASSWORD", ""));

        assertThat(open("alice", "alice-password", CORP).getSession().getUser().getDisplayName()).isEqualTo("Alice Liddell");
        assertError(() -> open("alice,ou=people", "alice-password", CORP), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        assertError(() -> open("bob+cn=x", "bob-password", CORP), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");

        assertThat(directory.binds).containsExactly(
                aliceDn,
                "uid=alice\\,ou\\=people," + TestDirectory.PEOPLE_DN,
                "uid=bob\\+cn\\=x," + TestDirectory.PEOPLE_DN);
        assertThat(directory.searchFilters).as("no user search in DN pattern mode")
                .noneMatch(f -> f.contains("inetOrgPerson"));
    }

    @Test
    void unreachableDirectory_isUnavailable_notWrongCredentials() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        start(Map.of("SESSIOND_LDAP_CORP_URL", "ldap://127.0.0.1:" + closedPort));

        ErrorInfo info = assertError(() -> open("alice", "alice-password", CORP), Status.Code.UNAVAILABLE, "STORE_UNAVAILABLE");

        assertThat(info.getMetadataMap()).containsEntry("service", "ldap").containsEntry("domain", CORP);
        assertThat(events("LOGIN_FAILED")).as("an outage is not the user's failed login").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ldap", "ldaps"})
    void silentDirectory_timesOutAsUnavailable(String scheme) throws IOException {
        // Connections are accepted by the kernel but never answered: neither StartTLS, nor a TLS
        // handshake, nor a bind may wait for ever.
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            start(Map.of(
                    "SESSIOND_LDAP_CORP_URL", scheme + "://127.0.0.1:" + silent.getLocalPort(),
                    "SESSIOND_LDAP_CORP_CONNECT_TIMEOUT", "1s",
                    "SESSIOND_LDAP_CORP_RESPONSE_TIMEOUT", "300ms"));

            long started = System.nanoTime();
            assertError(() -> open("alice", "alice-password", CORP), Status.Code.UNAVAILABLE, "STORE_UNAVAILABLE");
            assertThat((System.nanoTime() - started) / 1_000_000).as("milliseconds").isLessThan(5_000);
        }
    }

    @Test
    void ldaps_withThePemTrustStore_signsIn() {
        start(Map.of(
                "SESSIOND_LDAP_CORP_URL", "ldaps://127.0.0.1:" + directory.ldapsPort()));

        assertThat(open("alice", "alice-password", CORP).getSession().getUser().getLogin()).isEqualTo("CORP\\alice");
    }

    @Test
    void failover_triesTheNextServer() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        start(Map.of("SESSIOND_LDAP_CORP_URL",
                "ldaps://127.0.0.1:" + closedPort + " ldaps://127.0.0.1:" + directory.ldapsPort()));

        assertThat(open("alice", "alice-password", CORP).getSession().getUser().getLogin()).isEqualTo("CORP\\alice");
    }

    @Test
    void untrustedCertificate_isUnavailable_andNoPasswordIsSent(@TempDir Path other) {
        Path otherCa = other.resolve("other-ca.pem");
        TestDirectory.certificates(other.resolve("other.p12"), otherCa, "localhost", "127.0.0.1");
        start(Map.of("SESSIOND_LDAP_CORP_TRUST_STORE", otherCa.toString()));

        assertError(() -> open("alice", "alice-password", CORP), Status.Code.UNAVAILABLE, "STORE_UNAVAILABLE");
        assertThat(directory.binds).isEmpty();
    }

    @Test
    void certificateThatDoesNotNameTheHost_isUnavailable() {
        // Trusted, but made for "localhost" only: reached as 127.0.0.1 it is refused ...
        start(Map.of(
                "SESSIOND_LDAP_CORP_URL", "ldaps://127.0.0.1:" + directory.localhostOnlyPort(),
                "SESSIOND_LDAP_CORP_TRUST_STORE", directory.localhostOnlyCaPem.toString()));

        assertError(() -> open("alice", "alice-password", CORP), Status.Code.UNAVAILABLE, "STORE_UNAVAILABLE");
        assertThat(directory.binds).isEmpty();

        // ... and accepted as localhost.
        sessiond.close();
        start(Map.of(
                "SESSIOND_LDAP_CORP_URL", "ldaps://localhost:" + directory.localhostOnlyPort(),
                "SESSIOND_LDAP_CORP_TRUST_STORE", directory.localhostOnlyCaPem.toString()));
        assertThat(open("alice", "alice-password", CORP).getSession().getUser().getLogin()).isEqualTo("CORP\\alice");
    }

    @Test
    void blockedDomainUser_isToldOnlyAfterTheRightPassword() {
        start(Map.of());
        User frank = open("frank", "frank-password", CORP).getSession().getUser();
        as(sessiond.adminToken(), sessiond.users()).updateUser(UpdateUserRequest.newBuilder()
                .setUser(frank.toBuilder().setIsBlocked(true))
                .setUpdateMask(FieldMask.newBuilder().addPaths("is_blocked")).build());

        assertError(() -> open("frank", "wrong", CORP), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        assertError(() -> open("frank", "frank-password", CORP), Status.Code.PERMISSION_DENIED, "USER_BLOCKED");
    }

    @Test
    void localLoginWithAnAt_staysLocal_unlessItNamesAConfiguredDomain() {
        start(Map.of());
        sessiond.createUser("erin@partner.test", "erin-password", false, false);

        User erin = sessiond.login("erin@partner.test", "erin-password", "cli").getSession().getUser();

        assertThat(erin.getLogin()).isEqualTo("erin@partner.test");
        assertThat(directory.connections).isEmpty();
        assertThat(events("OPENED")).extracting(e -> e.get("auth_source")).contains("local");
    }

    @Test
    void loginAndDomainThatDisagree_areRejectedNamingTheField() {
        start(Map.of());

        ErrorInfo info = assertError(() -> open("OTHER\\alice", "alice-password", CORP),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "domain");
        info = assertError(() -> open("CORP\\", "x", ""), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "login");
    }
}
