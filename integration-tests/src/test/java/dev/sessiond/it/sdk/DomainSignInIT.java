package dev.sessiond.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sessiond.client.OpenedSession;
import dev.sessiond.client.SessionException;
import dev.sessiond.client.SessionOpener;
import dev.sessiond.client.SessiondClient;
import dev.sessiond.proto.v1.ErrorReason;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.User;
import dev.sessiond.server.testing.TestDirectory;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SessiondClient.openSession(login, password, domain)} against a real server whose domain
 * EXAMPLE is a real LDAP directory on loopback (reached with StartTLS): the password is checked
 * by the directory, and the user is sessiond's {@code EXAMPLE\}{@code user}.
 */
class DomainSignInIT {

    private static final String DOMAIN = "EXAMPLE";

    @TempDir
    static Path dir;
    static TestDirectory directory;
    static SdkTestServer server;
    static SessiondClient client;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(dir);
        directory.addUser("alice", "alice-domain-password", "Alice Liddell");
        directory.addUser("dave", "dave-domain-password", "Dave Bowman");
        server = SdkTestServer.start(dir, directory.settings(DOMAIN));
        client = server.client(b -> b.applicationId("desktop-client"));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        directory.close();
    }

    private static String authSource(String sessionId) {
        return server.database().withHandle(h -> h.createQuery(
                        "SELECT auth_source FROM session_events WHERE kind = 'OPENED' AND session_id = :id")
                .bind("id", UUID.fromString(sessionId)).mapTo(String.class).one());
    }

    @Test
    void domainPassword_opensASessionForTheDirectoryUser_namedDomainBackslashUser() {
        OpenSessionResponse opened = client.openSession("alice", "alice-domain-password", DOMAIN);

        User alice = opened.getSession().getUser();
        assertThat(alice.getLogin()).isEqualTo("EXAMPLE\\alice");
        assertThat(alice.getDisplayName()).as("from the directory").isEqualTo("Alice Liddell");
        assertThat(opened.getSession().getApplicationId()).isEqualTo("desktop-client");
        assertThat(authSource(opened.getSession().getId())).isEqualTo("ldap");
        assertThat(client.withToken(opened.getToken()).closeSession()).as("the token is a working session token").isTrue();
    }

    @Test
    void theDomain_mayBeWrittenInAnyCase_orInTheLogin_andItIsTheSameUser() {
        String viaField = client.openSession("alice", "alice-domain-password", "example").getSession().getUser().getId();
        String viaLogin = client.openSession("EXAMPLE\\alice", "alice-domain-password", DOMAIN).getSession().getUser().getId();

        assertThat(viaLogin).isEqualTo(viaField);
    }

    @Test
    void wrongDomainPassword_isInvalidCredentials() {
        SessionException e = catchThrowableOfType(SessionException.class,
                () -> client.openSession("dave", "not-daves-password", DOMAIN));

        assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_CREDENTIALS);
    }

    @Test
    void unknownDomain_isInvalidCredentials_likeAWrongPassword() {
        // The contract gives an unknown domain the same answer as a wrong password, so that
        // domains cannot be probed; only a login and domain that disagree are a bad argument.
        SessionException e = catchThrowableOfType(SessionException.class,
                () -> client.openSession("alice", "alice-domain-password", "NOWHERE"));

        assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_CREDENTIALS);
    }

    @Test
    void loginAndDomainThatDisagree_areAnInvalidArgument_namingTheDomainField() {
        SessionException e = catchThrowableOfType(SessionException.class,
                () -> client.openSession("OTHER\\alice", "alice-domain-password", DOMAIN));

        assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_ARGUMENT);
        assertThat(e.field()).hasValue("domain");
    }

    @Test
    void aDomainPasswordOpener_opensTheDomainUsersSession() {
        OpenedSession opened = SessionOpener.password("dave", "dave-domain-password", DOMAIN).open(client);

        assertThat(opened.session().getUser().getLogin()).isEqualTo("EXAMPLE\\dave");
        assertThat(authSource(opened.sessionId())).isEqualTo("ldap");
    }
}
